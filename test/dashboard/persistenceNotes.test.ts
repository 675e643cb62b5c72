import { describe, expect, it } from 'vitest';
import { ActivityLog } from '../../src/dashboard/activityLog.js';
import { EventBus } from '../../src/events/eventBus.js';

const TENANT = '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50';

describe('the activity log and --persist', () => {
  it('shows failing writes as an error line and their recovery as an info line, for the tenant', () => {
    const events = new EventBus();
    const activity = new ActivityLog(events);
    const file = `/data/${TENANT}/db.json`;
    events.emit({ type: 'persistence', at: 1, tenantId: TENANT, file, state: 'failing', message: `tenant ${TENANT}: edits not saved, cannot write ${file} (ENOSPC); retrying` });
    events.emit({ type: 'persistence', at: 2, tenantId: TENANT, file, state: 'recovered', message: `tenant ${TENANT}: saved to ${file} again after 3 failed write(s)` });
    expect(activity.view().lines).toMatchObject([
      { kind: 'note', tone: 'error', tenantId: TENANT, text: expect.stringContaining('ENOSPC') },
      { kind: 'note', tone: 'info', tenantId: TENANT, text: expect.stringContaining('saved to') },
    ]);
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startHeadlessLog } from '../../src/cli/headlessLog.js';
import { ENV, resolveConfig } from '../../src/config/sandboxConfig.js';
import { EventBus } from '../../src/events/eventBus.js';
import { pageLoadBatch } from '../../src/simulator/pageLoadBatch.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../src/simulator/retryDelay.js';
import { tokenUrlFromMetadata } from '../../src/simulator/tokenUrlFromMetadata.js';

describe('simulator parts', () => {
  it('reads the token URL from the oauth-uris extension in rest[0].security', () => {
    const metadata = {
      rest: [
        {
          security: {
            extension: [
              {
                url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                extension: [
                  { url: 'authorize', valueUri: 'http://127.0.0.1:1/oauth2/authorize' },
                  { url: 'token', valueUri: 'http://127.0.0.1:1/oauth2/token' },
                ],
              },
            ],
          },
        },
      ],
    };
    expect(tokenUrlFromMetadata(metadata)).toBe('http://127.0.0.1:1/oauth2/token');
    expect(tokenUrlFromMetadata({ rest: [{ security: {} }] })).toBeUndefined();
    expect(tokenUrlFromMetadata('not a document')).toBeUndefined();
  });

  it('batches the searches each version\'s client sends, newest vitals first', () => {
    const urls = (version: 'dstu2' | 'stu3') =>
      (pageLoadBatch(version, 'p 1').entry as Array<{ request: { method: string; url: string } }>).map((entry) => entry.request.url);
    expect(urls('dstu2')).toEqual([
      'Observation?patient=p%201&category=vital-signs&_sort:desc=date',
      'Condition?patient=p%201&_count=20',
      'Encounter?patient=p%201&_sort:desc=date&_count=1',
      'AllergyIntolerance?patient=p%201',
      'MedicationOrder?patient=p%201&_count=20',
      'Coverage?patient=p%201',
    ]);
    expect(urls('stu3')).toContain('Observation?patient=p%201&category=vital-signs&_sort=-date');
    expect(urls('stu3')).toContain('MedicationRequest?patient=p%201&_count=20');
    expect(pageLoadBatch('stu3', 'x')).toMatchObject({ resourceType: 'Bundle', type: 'batch' });
  });

  it('waits exactly what Retry-After says, gives up on a longer one than it waits, else backs off exponentially with jitter', () => {
    expect(retryDelay(DEFAULT_RETRY_POLICY, 0, '1', 0.5)).toEqual({ waitMs: 1000 });
    // Never less than the server asked for: a Retry-After longer than the client waits gives the call up.
    expect(retryDelay(DEFAULT_RETRY_POLICY, 0, '8', 0.5)).toEqual({ waitMs: 8000 });
    expect(retryDelay(DEFAULT_RETRY_POLICY, 0, '30', 0.5)).toEqual({ tooLongMs: 30_000 });
    expect(retryDelay(DEFAULT_RETRY_POLICY, 0, null, 1)).toEqual({ waitMs: 250 });
    expect(retryDelay(DEFAULT_RETRY_POLICY, 2, null, 1)).toEqual({ waitMs: 1000 });
    expect(retryDelay(DEFAULT_RETRY_POLICY, 2, null, 0)).toEqual({ waitMs: 500 });
    expect(retryDelay(DEFAULT_RETRY_POLICY, 10, 'soon', 1)).toEqual({ waitMs: DEFAULT_RETRY_POLICY.maxMs });
  });

  it('--simulate-client and PATIENTS_SANDBOX_SIMULATE_CLIENT turn the demo client on; it is off by default', () => {
    expect(resolveConfig({}, {}).simulateClient).toBe(false);
    expect(resolveConfig({ simulateClient: true }, {}).simulateClient).toBe(true);
    expect(resolveConfig({}, { [ENV.simulateClient]: 'yes' }).simulateClient).toBe(true);
    expect(() => resolveConfig({}, { [ENV.simulateClient]: 'maybe' })).toThrow(/PATIENTS_SANDBOX_SIMULATE_CLIENT/);
  });

  it('headless, simulator events are JSON lines like every other event', async () => {
    const events = new EventBus();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().trim().split('\n'));
        done();
      },
    });
    const log = startHeadlessLog(events, sink);
    events.emit({ type: 'simulator', at: 0, action: 'token-refreshed', message: 'token refreshed (it expired); new one lives 5s', tenantId: 't-1' });
    await log.close();
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'simulator', action: 'token-refreshed', message: 'token refreshed (it expired); new one lives 5s', tenantId: 't-1' });
  });
});

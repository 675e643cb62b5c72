import { describe, expect, it } from 'vitest';
import { IssuedTokens, MAX_TRACKED } from '../../src/auth/issuedTokens.js';
import { ManualClock } from '../../src/lib/clock.js';

describe('the issued-token ledger', () => {
  it('stays within its bound when clients fetch more live tokens than it tracks, forgetting the oldest', () => {
    const clock = new ManualClock();
    const ledger = new IssuedTokens(clock);
    const total = MAX_TRACKED + 2_500;
    for (let index = 0; index < total; index++) {
      ledger.record({ jti: `t${index}`, clientId: 'app', tenantId: 't', registration: 1, sequence: index, issuedAt: clock.now(), expiresAt: clock.now() + 3_600_000 });
    }
    const counts = ledger.counts(() => true, 3_600_000);
    expect(counts.issued).toBe(total);
    expect(counts.active).toBeLessThanOrEqual(MAX_TRACKED);
    expect(counts.active).toBeGreaterThan(MAX_TRACKED / 2);
    expect(counts.expiringSoon.some((token) => token.jti === `t${total - 1}`)).toBe(true);
    expect(counts.expiringSoon.some((token) => token.jti === 't0')).toBe(false);
  });
});

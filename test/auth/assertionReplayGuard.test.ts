import { describe, expect, it } from 'vitest';
import { AssertionReplayGuard, MAX_LIVE_ASSERTIONS_PER_CLIENT } from '../../src/auth/assertionReplayGuard.js';
import { ManualClock } from '../../src/lib/clock.js';

describe('the jti of accepted assertions', () => {
  it('is refused again for the same client until that assertion expires, and never for another client', () => {
    const clock = new ManualClock();
    const guard = new AssertionReplayGuard(clock);
    const expiresAt = clock.now() + 60_000;
    expect(guard.remember('svc', 'j1', expiresAt)).toBe('first-use');
    expect(guard.remember('svc', 'j1', expiresAt + 60_000)).toBe('replayed');
    expect(guard.remember('other', 'j1', expiresAt)).toBe('first-use');
    clock.advance(60_000);
    expect(guard.remember('svc', 'j1', clock.now() + 60_000)).toBe('first-use');
  });

  it('holds at most a bounded number per client: past it, new assertions wait until old ones expire', () => {
    const clock = new ManualClock();
    const guard = new AssertionReplayGuard(clock);
    const expiresAt = clock.now() + 300_000;
    for (let index = 0; index < MAX_LIVE_ASSERTIONS_PER_CLIENT; index++) expect(guard.remember('busy', `j${index}`, expiresAt)).toBe('first-use');
    expect(guard.remember('busy', 'one-more', expiresAt)).toBe('too-many');
    // A replay is still told as a replay, and other clients are not affected.
    expect(guard.remember('busy', 'j0', expiresAt)).toBe('replayed');
    expect(guard.remember('calm', 'j0', expiresAt)).toBe('first-use');
    clock.advance(300_000);
    expect(guard.remember('busy', 'one-more', clock.now() + 60_000)).toBe('first-use');
  });
});

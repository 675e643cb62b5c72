import { describe, expect, it } from 'vitest';
import { ClientRegistry, MAX_LIVE_SECRETS } from '../../src/auth/clientRegistry.js';
import { scryptSecretsOffThread, type SecretHash, type SecretHasher } from '../../src/auth/secretHash.js';
import { ManualClock } from '../../src/lib/clock.js';

/**
 * The server's hasher computes secrets' hashes off the event loop: a hasher whose synchronous `hash`
 * fails proves registration never calls it, and hashes released by hand show what waits for them.
 */
function offThreadHasher() {
  const pending: Array<() => void> = [];
  const counter = {
    comparisons: 0,
    hash: (): SecretHash => {
      throw new Error('hashed on the event loop');
    },
    hashAsync: (secret: string) =>
      new Promise<SecretHash>((resolve, reject) => {
        pending.push(() => (scryptSecretsOffThread.hashAsync as NonNullable<SecretHasher['hashAsync']>)(secret).then(resolve, reject));
      }),
    matches: (secret: string, stored: SecretHash) => scryptSecretsOffThread.matches(secret, stored),
    matchesAsync: (secret: string, stored: SecretHash) => {
      counter.comparisons++;
      return (scryptSecretsOffThread.matchesAsync as NonNullable<SecretHasher['matchesAsync']>)(secret, stored);
    },
    /** Lets every hash asked for so far be computed. */
    release: () => pending.splice(0).forEach((start) => start()),
  };
  return counter;
}

describe('client secrets hashed off the event loop', () => {
  it('registering and rotating return before any hash exists; token checks wait for the hashes and cost the same for every answer', async () => {
    const hasher = offThreadHasher();
    const registry = new ClientRegistry(new ManualClock(), hasher);
    registry.create({ id: 'app', secret: 'right-secret', tenants: '*' });
    const { secret: rotated } = registry.rotateSecret('app');

    const verdicts = Promise.all([registry.verifySecret('app', 'right-secret'), registry.verifySecret('app', rotated), registry.verifySecret('app', 'wrong-secret'), registry.verifySecret('nobody', 'right-secret')]);
    expect(hasher.comparisons).toBe(0);
    hasher.release();
    expect(await verdicts).toEqual([true, true, false, false]);
    expect(hasher.comparisons).toBe(4 * MAX_LIVE_SECRETS);
  });

  it('a secret revoked while its hash is computed never verifies', async () => {
    const hasher = offThreadHasher();
    const registry = new ClientRegistry(new ManualClock(), hasher);
    registry.create({ id: 'app', secret: 'first-secret', tenants: '*' });
    const { secretId, secret } = registry.rotateSecret('app');
    const verdict = registry.verifySecret('app', secret);
    registry.revokeSecret('app', secretId);
    hasher.release();
    expect(await verdict).toBe(false);
    expect(await registry.verifySecret('app', secret)).toBe(false);
    expect(await registry.verifySecret('app', 'first-secret')).toBe(true);
  });

  it('the synchronous check refuses to read a hash still being computed (a caller bug), and works once it is there', async () => {
    const hasher = offThreadHasher();
    const registry = new ClientRegistry(new ManualClock(), hasher);
    registry.create({ id: 'app', secret: 'right-secret', tenants: '*' });
    expect(() => registry.authenticate('app', 'right-secret')).toThrow(TypeError);
    hasher.release();
    await registry.verifySecret('app', 'right-secret');
    expect(registry.authenticate('app', 'right-secret')).toBe(true);
  });
});

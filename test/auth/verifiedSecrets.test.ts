import { describe, expect, it } from 'vitest';
import { ClientRegistry, MAX_LIVE_SECRETS } from '../../src/auth/clientRegistry.js';
import { scryptSecrets, type SecretHash, type SecretHasher } from '../../src/auth/secretHash.js';
import { VerifiedSecrets } from '../../src/auth/verifiedSecrets.js';
import { ManualClock } from '../../src/lib/clock.js';

/** The real asynchronous hasher, counting the comparisons each verification costs. */
function countingHasher(): SecretHasher & { comparisons: number } {
  const counter = {
    comparisons: 0,
    hash: (secret: string) => scryptSecrets.hash(secret),
    matches: (secret: string, stored: SecretHash) => scryptSecrets.matches(secret, stored),
    matchesAsync: (secret: string, stored: SecretHash) => {
      counter.comparisons++;
      return (scryptSecrets.matchesAsync as NonNullable<SecretHasher['matchesAsync']>)(secret, stored);
    },
  };
  return counter;
}

function setUp() {
  const hasher = countingHasher();
  const registry = new ClientRegistry(new ManualClock(), hasher);
  registry.create({ id: 'app', secret: 'right-secret', tenants: '*' });
  const cost = async (id: string, secret: string) => {
    hasher.comparisons = 0;
    const accepted = await registry.verifySecret(id, secret);
    return { accepted, comparisons: hasher.comparisons };
  };
  return { registry, cost };
}

describe('verifying secrets for the token endpoint', () => {
  it('a pair that verified is served without hashing; unknown ids and wrong secrets always pay the full hashing', async () => {
    const { cost } = setUp();
    const full = MAX_LIVE_SECRETS;
    expect(await cost('no-such-client', 'right-secret')).toEqual({ accepted: false, comparisons: full });
    expect(await cost('app', 'wrong-secret')).toEqual({ accepted: false, comparisons: full });
    expect(await cost('app', 'right-secret')).toEqual({ accepted: true, comparisons: full });
    expect(await cost('app', 'right-secret')).toEqual({ accepted: true, comparisons: 0 });
    // Remembering the right pair changes nothing for the others: still the same work as before.
    expect(await cost('no-such-client', 'right-secret')).toEqual({ accepted: false, comparisons: full });
    expect(await cost('app', 'wrong-secret')).toEqual({ accepted: false, comparisons: full });
    expect(await cost('no-such-client', 'whatever')).toEqual({ accepted: false, comparisons: full });
  });

  it('revoking the secret that verified refuses it at once', async () => {
    const { registry, cost } = setUp();
    await cost('app', 'right-secret');
    const { secretId: newSecretId, secret: newSecret } = registry.rotateSecret('app');
    expect(await cost('app', 'right-secret')).toEqual({ accepted: true, comparisons: MAX_LIVE_SECRETS });
    const oldSecretId = (registry.get('app')?.secrets ?? []).find((secret) => secret.id !== newSecretId)?.id as string;
    registry.revokeSecret('app', oldSecretId);
    expect(await cost('app', 'right-secret')).toEqual({ accepted: false, comparisons: MAX_LIVE_SECRETS });
    expect(await cost('app', newSecret)).toEqual({ accepted: true, comparisons: MAX_LIVE_SECRETS });
  });

  it('deleting the client forgets its pairs, also when the id is registered again with the same secret', async () => {
    const { registry, cost } = setUp();
    await cost('app', 'right-secret');
    registry.delete('app');
    expect(await cost('app', 'right-secret')).toEqual({ accepted: false, comparisons: MAX_LIVE_SECRETS });
    registry.create({ id: 'app', secret: 'right-secret', tenants: '*' });
    expect(await cost('app', 'right-secret')).toEqual({ accepted: true, comparisons: MAX_LIVE_SECRETS });
  });

  it('a secret revoked while its hash runs is refused and not remembered', async () => {
    const { registry, cost } = setUp();
    registry.rotateSecret('app');
    const first = registry.get('app')?.secrets[0]?.id as string;
    const pending = registry.verifySecret('app', 'right-secret');
    registry.revokeSecret('app', first);
    expect(await pending).toBe(false);
    expect(await cost('app', 'right-secret')).toEqual({ accepted: false, comparisons: MAX_LIVE_SECRETS });
  });

  it('the hashing does not hold the event loop: other callbacks run while it works', async () => {
    const { registry } = setUp();
    let otherWorkRan = false;
    const verifying = registry.verifySecret('app', 'right-secret');
    setImmediate(() => {
      otherWorkRan = true;
    });
    expect(await verifying).toBe(true);
    expect(otherWorkRan).toBe(true);
  });

  it('stays within its bound, forgetting the oldest pair first', () => {
    const verified = new VerifiedSecrets(2);
    const digests = ['a', 'b', 'c'].map((id) => verified.digest(id, 'secret'));
    digests.forEach((digest, index) => verified.remember(digest, ['a', 'b', 'c'][index] as string));
    expect(verified.size).toBe(2);
    expect(digests.map((digest, index) => verified.verified(digest, ['a', 'b', 'c'][index] as string))).toEqual([false, true, true]);
    expect(verified.digest('a', 'secret')).not.toBe(verified.digest('a', 'other'));
    expect(verified.digest('ab', 'c')).not.toBe(verified.digest('a', 'bc'));
  });

  it('a remembered digest counts only for the client it was remembered for, even when NULs make two pairs digest alike', async () => {
    const registry = new ClientRegistry(new ManualClock(), countingHasher());
    registry.create({ id: 'a', secret: 'b\0c', tenants: '*' });
    expect(await registry.verifySecret('a', 'b\0c')).toBe(true);
    expect(await registry.verifySecret('a\0b', 'c')).toBe(false);
    const verified = new VerifiedSecrets();
    const digest = verified.digest('a', 'b\0c');
    verified.remember(digest, 'a');
    expect(verified.digest('a\0b', 'c')).toBe(digest);
    expect(verified.verified(digest, 'a\0b')).toBe(false);
    expect(verified.verified(digest, 'a')).toBe(true);
  });
});

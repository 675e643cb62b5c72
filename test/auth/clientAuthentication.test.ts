import { describe, expect, it } from 'vitest';
import { ClientRegistry, MAX_LIVE_SECRETS } from '../../src/auth/clientRegistry.js';
import { scryptSecrets, type SecretHasher } from '../../src/auth/secretHash.js';
import { ManualClock } from '../../src/lib/clock.js';

/** The real hasher, counting how many secret comparisons each authentication costs. */
function countingHasher(): SecretHasher & { comparisons: number } {
  const counter = {
    comparisons: 0,
    hash: (secret: string) => scryptSecrets.hash(secret),
    matches: (secret: string, stored: Parameters<SecretHasher['matches']>[1]) => {
      counter.comparisons++;
      return scryptSecrets.matches(secret, stored);
    },
  };
  return counter;
}

describe('client authentication does the same work whatever the answer', () => {
  it('unknown id, wrong secret, one or two live secrets, right secret: the same number of hash comparisons', () => {
    const hasher = countingHasher();
    const registry = new ClientRegistry(new ManualClock(), hasher);
    registry.create({ id: 'one-secret', secret: 'the-only-secret', tenants: '*' });
    registry.create({ id: 'two-secrets', secret: 'first-secret', tenants: '*' });
    registry.rotateSecret('two-secrets');

    const cost = (id: string, secret: string) => {
      hasher.comparisons = 0;
      const accepted = registry.authenticate(id, secret);
      return { accepted, comparisons: hasher.comparisons };
    };
    const expected = MAX_LIVE_SECRETS;
    expect(cost('no-such-client', 'whatever-secret')).toEqual({ accepted: false, comparisons: expected });
    expect(cost('one-secret', 'wrong-secret')).toEqual({ accepted: false, comparisons: expected });
    expect(cost('two-secrets', 'wrong-secret')).toEqual({ accepted: false, comparisons: expected });
    expect(cost('one-secret', 'the-only-secret')).toEqual({ accepted: true, comparisons: expected });
    expect(cost('two-secrets', 'first-secret')).toEqual({ accepted: true, comparisons: expected });
  });

  it('the decoy a missing id is compared with never matches, not even an empty secret', () => {
    const registry = new ClientRegistry(new ManualClock());
    expect(registry.authenticate('no-such-client', '')).toBe(false);
    registry.create({ id: 'deleted', secret: 'was-valid-secret', tenants: '*' });
    registry.delete('deleted');
    expect(registry.authenticate('deleted', 'was-valid-secret')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../../src/auth/invalidTokenError.js';
import { authFixture } from '../support/authFixture.js';

async function refusalReason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('signing key rotation', () => {
  it('grace 0 refuses the tokens of every earlier key, also of keys still inside an earlier grace period', async () => {
    const { auth, tokenFor } = await authFixture();
    const firstKeyToken = await tokenFor();
    await auth.keys.rotate(60);
    const secondKeyToken = await tokenFor();
    await expect(auth.verify(firstKeyToken)).resolves.toBeDefined();

    const currentKid = await auth.keys.rotate(0);
    expect(await refusalReason(auth.verify(firstKeyToken))).toBe('unknown-key');
    expect(await refusalReason(auth.verify(secondKeyToken))).toBe('unknown-key');
    expect(auth.keys.jwks().keys.map((key) => key.kid)).toEqual([currentKid]);
    await expect(auth.verify(await tokenFor())).resolves.toBeDefined();
  });

  it('a later grace period shortens an earlier, longer one: no earlier key outlives the newest grace', async () => {
    const { auth, tokenFor, clock } = await authFixture();
    const firstKeyToken = await tokenFor();
    await auth.keys.rotate(600);
    const secondKeyToken = await tokenFor();
    await auth.keys.rotate(30);
    await expect(auth.verify(firstKeyToken)).resolves.toBeDefined();
    await expect(auth.verify(secondKeyToken)).resolves.toBeDefined();
    expect(auth.keys.jwks().keys).toHaveLength(3);
    clock.advance(30_000);
    expect(await refusalReason(auth.verify(firstKeyToken))).toBe('unknown-key');
    expect(await refusalReason(auth.verify(secondKeyToken))).toBe('unknown-key');
    expect(auth.keys.jwks().keys).toHaveLength(1);
  });
});

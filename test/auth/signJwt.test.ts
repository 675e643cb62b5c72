import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwtHeaderSegment, signEs256ClaimsOffThread } from '../../src/auth/signJwt.js';

describe('signEs256ClaimsOffThread', () => {
  it('makes a compact ES256 JWT that jose verifies with the public key, claims and header intact', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const claims = { sub: 'app', scope: 'a b', exp: 4_000_000_000, note: 'é"\\' };
    const token = await signEs256ClaimsOffThread(jwtHeaderSegment({ kid: 'k1', typ: 'JWT' }), JSON.stringify(claims), privateKey);
    expect(token.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(token)).toEqual({ kid: 'k1', typ: 'JWT', alg: 'ES256' });
    const { payload } = await jwtVerify(token, publicKey, { algorithms: ['ES256'] });
    expect(payload).toEqual({ sub: 'app', scope: 'a b', exp: 4_000_000_000, note: 'é"\\' });
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'AB' : 'AA');
    await expect(jwtVerify(tampered, publicKey, { algorithms: ['ES256'] })).rejects.toThrow();
  });

  it('signs off the event loop: a callback queued meanwhile runs before the token is ready', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    let otherWorkRan = false;
    const signing = signEs256ClaimsOffThread(jwtHeaderSegment({ kid: 'k1' }), '{"sub":"app"}', privateKey).then((token) => ({ token, otherWorkRan }));
    setImmediate(() => {
      otherWorkRan = true;
    });
    expect((await signing).otherWorkRan).toBe(true);
  });
});

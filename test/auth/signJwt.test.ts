import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signEs256Jwt } from '../../src/auth/signJwt.js';

describe('signEs256Jwt', () => {
  it('makes a compact ES256 JWT that jose verifies with the public key, claims and header intact', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = signEs256Jwt({ kid: 'k1', typ: 'JWT' }, { sub: 'app', scope: 'a b', exp: 4_000_000_000, note: 'é"\\' }, privateKey);
    expect(token.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(token)).toEqual({ kid: 'k1', typ: 'JWT', alg: 'ES256' });
    const { payload } = await jwtVerify(token, publicKey, { algorithms: ['ES256'] });
    expect(payload).toEqual({ sub: 'app', scope: 'a b', exp: 4_000_000_000, note: 'é"\\' });
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'AB' : 'AA');
    await expect(jwtVerify(tampered, publicKey, { algorithms: ['ES256'] })).rejects.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { startTestSandbox } from '../support/testSandbox.js';

const read = '/fhir/stu3/Patient/ruth-black';
const json = { 'Content-Type': 'application/json' };

describe('token trust over HTTP', () => {
  it('key rotation with grace 0 after one with grace 60 refuses tokens of both earlier keys, and the JWKS lists only the current key', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 9));
    const { http, token } = await startTestSandbox({}, { clock });
    const firstKey = `Bearer ${await token()}`;
    expect((await http.post('/admin/keys/rotate').set(json).send({ graceSeconds: 60 })).status).toBe(200);
    const secondKey = `Bearer ${await token()}`;
    expect((await http.get(read).set('Authorization', firstKey)).status).toBe(200);

    const rotated = await http.post('/admin/keys/rotate').set(json).send({ graceSeconds: 0 });
    expect(rotated.status).toBe(200);
    for (const bearer of [firstKey, secondKey]) {
      const refused = await http.get(read).set('Authorization', bearer);
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(JSON.parse(refused.text).resourceType).toBe('OperationOutcome');
    }
    const jwks = await http.get('/.well-known/jwks.json');
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toEqual([rotated.body.kid]);
    expect((await http.get(read).set('Authorization', `Bearer ${await token()}`)).status).toBe(200);
  });
});

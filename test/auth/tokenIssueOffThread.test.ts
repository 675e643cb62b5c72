import { describe, expect, it } from 'vitest';
import { authFixture, TENANT_A } from '../support/authFixture.js';

describe('issuing a token does not hold the event loop', () => {
  it('with the secret already verified, other callbacks run while the token is signed', async () => {
    const { auth, tokenFor } = await authFixture();
    await tokenFor();
    let otherWorkRan = false;
    const issuing = auth
      .requestToken({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'app-secret-123', scope: TENANT_A }, undefined)
      .then((issued) => ({ issued, otherWorkRan }));
    setImmediate(() => {
      otherWorkRan = true;
    });
    const { issued, otherWorkRan: ranMeanwhile } = await issuing;
    expect(ranMeanwhile).toBe(true);
    await expect(auth.verify(issued.body.access_token)).resolves.toMatchObject({ clientId: 'app', tenantId: TENANT_A });
  });
});

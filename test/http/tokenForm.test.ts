import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RequestFinishedEvent, SandboxEvent } from '../../src/events/types.js';
import { OAuthError } from '../../src/auth/oauthError.js';
import { tokenResponseJson } from '../../src/http/tokenEndpoint.js';
import { readTokenForm, TOKEN_BODY_LIMIT } from '../../src/http/tokenForm.js';
import { DEMO_CLIENT, STU3_TENANT, startTestSandbox, type TestSandbox } from '../support/testSandbox.js';

/** A request as the token endpoint reads it: headers and a body stream. */
function request(body: string | Buffer, headers: Record<string, string>): IncomingMessage {
  const stream = Readable.from([typeof body === 'string' ? Buffer.from(body) : body]) as unknown as IncomingMessage;
  stream.headers = headers;
  return stream;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('readTokenForm', () => {
  it('reads the fields, keeping every value of a repeated name', async () => {
    const form = await readTokenForm(request('grant_type=client_credentials&scope=a+b&scope=c', { 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8' }));
    expect(form).toEqual({ grant_type: 'client_credentials', scope: ['a b', 'c'] });
  });

  it('refuses another media type with invalid_request before reading', async () => {
    const refused = await readTokenForm(request('{}', { 'content-type': 'application/json' })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OAuthError);
    expect(refused).toMatchObject({ code: 'invalid_request', status: 400 });
  });

  it('refuses a body past the limit with 413 naming the limit', async () => {
    const refused = await readTokenForm(request(`a=${'x'.repeat(TOKEN_BODY_LIMIT)}`, FORM)).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 413, limit: TOKEN_BODY_LIMIT });
  });

  it('answers 499 for a request whose client already closed it', async () => {
    const closed = request('grant_type=client_credentials', FORM);
    closed.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await readTokenForm(closed).catch((error: unknown) => error)).toMatchObject({ status: 499 });
  });

  it('decodes a gzip body, refuses one that does not decode with 400 and an encoding it does not know with 415', async () => {
    expect(await readTokenForm(request(gzipSync('grant_type=client_credentials'), { ...FORM, 'content-encoding': 'gzip' }))).toEqual({ grant_type: 'client_credentials' });
    const broken = await readTokenForm(request('grant_type=client_credentials', { ...FORM, 'content-encoding': 'gzip' })).catch((error: unknown) => error);
    expect(broken).toMatchObject({ status: 400, message: expect.stringMatching(/Content-Encoding gzip/) });
    const unknown = await readTokenForm(request('grant_type=client_credentials', { ...FORM, 'content-encoding': 'zstd-nope' })).catch((error: unknown) => error);
    expect(unknown).toMatchObject({ status: 415 });
  });
});

describe('the token route', () => {
  let t: TestSandbox;
  const events: SandboxEvent[] = [];
  beforeAll(async () => {
    t = await startTestSandbox();
    t.sandbox.events.subscribe((event) => events.push(event));
  });
  const form = { grant_type: 'client_credentials', client_id: DEMO_CLIENT.id, client_secret: DEMO_CLIENT.secret, scope: STU3_TENANT };

  it('issues a token at the path with a trailing slash too, and logs the route pattern', async () => {
    const response = await t.http.post('/oauth2/token/').type('form').send(form);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers.pragma).toBe('no-cache');
    const logged = events.filter((event): event is RequestFinishedEvent => event.type === 'request').at(-1);
    expect(logged).toMatchObject({ route: '/oauth2/token', status: 200, clientId: DEMO_CLIENT.id, tenantId: STU3_TENANT });
    expect(logged?.tokenJti).toBeDefined();
  });

  it('answers an unknown Content-Encoding with 415 in OAuth form', async () => {
    const response = await t.http.post('/oauth2/token').type('form').set('Content-Encoding', 'zstd-nope').send('grant_type=client_credentials');
    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.error).toBe('invalid_request');
  });

  it('reads a gzip form body', async () => {
    const response = await t.http
      .post('/oauth2/token')
      .type('form')
      .set('Content-Encoding', 'gzip')
      .serialize((bytes: unknown) => bytes as string)
      .send(gzipSync(new URLSearchParams(form).toString()));
    expect(response.status).toBe(200);
    expect(response.body.token_type).toBe('Bearer');
  });

  it('answers DELETE on the token path with 405 in OAuth form', async () => {
    const response = await t.http.delete('/oauth2/token');
    expect(response.status).toBe(405);
    expect(response.body.error).toBe('invalid_request');
  });
});

describe('tokenResponseJson', () => {
  it('is the text JSON.stringify makes of the response', () => {
    const response = { access_token: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnLV8', token_type: 'Bearer' as const, expires_in: 3600, scope: `${STU3_TENANT} system/Patient.read` };
    expect(tokenResponseJson(response)).toBe(JSON.stringify(response));
  });
});

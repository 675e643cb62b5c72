import { generateKeyPairSync } from 'node:crypto';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckTargetUnreachable } from '../../src/check/checkErrors.js';
import { runCheck } from '../../src/check/runCheck.js';
import { startCheckTarget, type CheckTarget } from './support/checkTarget.js';
import { NON_CONFORMING_PROBLEMS, nonConforming } from './support/nonConformingPartner.js';
import { startPartnerProxy, type ProxiedAnswer, type RunningProxy } from './support/partnerProxy.js';

describe('check against a deliberately non-conforming partner', () => {
  let target: CheckTarget;
  let partner: RunningProxy;

  beforeAll(async () => {
    target = await startCheckTarget();
    partner = await startPartnerProxy(target.server.origin, { rewrite: nonConforming });
  });
  afterAll(async () => {
    await partner.close();
    await target.close();
  });

  it('names each problem by its check, and nothing else', async () => {
    // Its metadata advertises no token URL, so the token URL is given, as a user would.
    const report = await runCheck(target.options('stu3', { baseUrl: `${partner.origin}/fhir/stu3`, tokenUrl: `${partner.origin}/oauth2/token` }));
    const failures = report.checks.filter((check) => check.outcome === 'failed');
    expect(failures.map((check) => check.id).sort()).toEqual(Object.values(NON_CONFORMING_PROBLEMS).sort());
    const byId = new Map(failures.map((check) => [check.id, check]));
    expect(byId.get('discovery.oauth-uris')?.detail).toBe(`rest[0].security has no oauth-uris extension with a token URL; --token-url ${partner.origin}/oauth2/token is used instead`);
    expect(byId.get('http.content-type')).toMatchObject({ level: 'recommended', response: { contentType: 'application/json; charset=utf-8' } });
    expect(byId.get('http.content-type')?.detail).toMatch(/^\d+ of \d+ answers are not application\/fhir\+json; first GET .*\/fhir\/stu3\/metadata \(discovery\.metadata\): application\/json; charset=utf-8$/);
    expect(byId.get('data.patient-fields')?.detail).toMatch(/^birthDate missing on (\d+) of \1 \(e\.g\. Patient\/[\w-]+\)$/);
    expect(byId.get('calls.paging-next-links')?.detail).toMatch(/^page 2 \(GET .*\): its next link leads back to a page already loaded \(.*_offset=20\)$/);
    expect(report.outcome).toBe('failed');
    expect(report.summary).toMatchObject({ failed: 3, warnings: 1 });
  });

  it('without --token-url it cannot get a token, and says why for every check that needs one', async () => {
    const report = await runCheck(target.options('stu3', { baseUrl: `${partner.origin}/fhir/stu3` }));
    const formPost = report.checks.find((check) => check.id === 'token.form-post');
    expect(formPost).toMatchObject({ outcome: 'skipped', detail: 'no token URL: metadata advertises none (discovery.oauth-uris failed) and no --token-url was given' });
    const read = report.checks.find((check) => check.id === 'calls.patient-read');
    expect(read?.outcome).toBe('skipped');
    expect(report.checks.filter((check) => check.outcome === 'failed').map((check) => check.id)).toEqual(['discovery.oauth-uris', 'http.content-type']);
  });
});

describe('check over HTTPS with a self-signed certificate', () => {
  let target: CheckTarget;
  let partner: RunningProxy;

  beforeAll(async () => {
    target = await startCheckTarget();
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keySize: 2048, extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }] });
    partner = await startPartnerProxy(target.server.origin, { tls: { key: pems.private, cert: pems.cert } });
  });
  afterAll(async () => {
    await partner.close();
    await target.close();
  });

  it('refuses the certificate by default, naming TLS and --insecure', async () => {
    const run = runCheck(target.options('stu3', { baseUrl: `${partner.origin}/fhir/stu3` }));
    await expect(run).rejects.toBeInstanceOf(CheckTargetUnreachable);
    await expect(run).rejects.toThrow(/^cannot reach https:\/\/127\.0\.0\.1:\d+\/fhir\/stu3\/metadata: TLS: .*self[- ]signed.*--insecure accepts a self-signed test certificate$/);
  });

  it('with --insecure, checks the partner behind it like any other', async () => {
    const report = await runCheck(target.options('stu3', { baseUrl: `${partner.origin}/fhir/stu3`, insecure: true }));
    expect(report.checks.filter((check) => check.outcome === 'failed')).toEqual([]);
    expect(report.target.tokenUrl).toBe(`${partner.origin}/oauth2/token`);
  });
});

describe('a partner that also serves SMART discovery', () => {
  let target: CheckTarget;
  let agreeing: RunningProxy;
  let disagreeing: RunningProxy;

  /** Answers [base]/.well-known/smart-configuration itself, naming `tokenPath` on its own origin as the token endpoint. */
  const smartDiscovery = (tokenPath: string, origin: () => string) => (answer: ProxiedAnswer) => {
    if (!answer.path.endsWith('/.well-known/smart-configuration')) return;
    answer.status = 200;
    answer.headers['content-type'] = 'application/json';
    answer.json = { token_endpoint: `${origin()}${tokenPath}`, token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'] };
  };

  beforeAll(async () => {
    target = await startCheckTarget();
    agreeing = await startPartnerProxy(target.server.origin, { rewrite: smartDiscovery('/oauth2/token', () => agreeing.origin) });
    disagreeing = await startPartnerProxy(target.server.origin, { rewrite: smartDiscovery('/other/token', () => disagreeing.origin) });
  });
  afterAll(async () => {
    await agreeing.close();
    await disagreeing.close();
    await target.close();
  });

  it('cross-checks its token_endpoint against the oauth-uris token URL', async () => {
    const good = await runCheck(target.options('stu3', { baseUrl: `${agreeing.origin}/fhir/stu3` }));
    expect(good.checks.find((check) => check.id === 'discovery.smart-configuration')).toMatchObject({ outcome: 'passed', detail: `token_endpoint ${agreeing.origin}/oauth2/token, as metadata says` });
    expect(good.summary).toMatchObject({ failed: 0, warnings: 0, skipped: 0 });
    const bad = await runCheck(target.options('stu3', { baseUrl: `${disagreeing.origin}/fhir/stu3` }));
    expect(bad.checks.filter((check) => check.outcome === 'failed')).toEqual([
      expect.objectContaining({ id: 'discovery.smart-configuration', level: 'recommended', detail: `token_endpoint ${disagreeing.origin}/other/token, but metadata advertises ${disagreeing.origin}/oauth2/token` }),
    ]);
  });

  it('to a private_key_jwt client, one that does not list private_key_jwt is a warning', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const { clientSecret: _secret, ...options } = target.options('stu3', { baseUrl: `${agreeing.origin}/fhir/stu3`, clientKey: { privateKey, kid: 'k1' } });
    const report = await runCheck(options);
    expect(report.checks.find((check) => check.id === 'discovery.smart-configuration')).toMatchObject({
      outcome: 'failed',
      level: 'recommended',
      detail: `token_endpoint ${agreeing.origin}/oauth2/token, but token_endpoint_auth_methods_supported does not list private_key_jwt (["client_secret_basic","client_secret_post"])`,
    });
  });
});

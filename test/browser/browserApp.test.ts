import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../../src/http/listen.js';
import { createSandbox } from '../../src/sandbox.js';
import { startHeadlessChromium, type HeadlessChromium } from '../support/headlessChromium.js';
import { DEMO_CLIENT, STU3_TENANT, testConfig } from '../support/testSandbox.js';

/**
 * A SMART-style web app served from another origin (a second local port) that gets a token and
 * searches patients with fetch(), as a real browser app would: Chromium enforces CORS, not us.
 */
function appPage(sandboxOrigin: string): string {
  return `<!doctype html><meta charset="utf-8"><title>browser app</title><pre id="result"></pre>
<script type="module">
const base = ${JSON.stringify(sandboxOrigin)};
const out = document.getElementById('result');
try {
  const tokenResponse = await fetch(base + '/oauth2/token', {
    method: 'POST',
    headers: { Authorization: 'Basic ' + btoa(${JSON.stringify(`${DEMO_CLIENT.id}:${DEMO_CLIENT.secret}`)}), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: ${JSON.stringify(STU3_TENANT)} }),
  });
  const token = await tokenResponse.json();
  const search = await fetch(base + '/fhir/stu3/Patient/_search', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + token.access_token, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/fhir+json', Prefer: 'handling=lenient' },
    body: 'given=ruth&family=black',
  });
  const bundle = await search.json();
  out.dataset.result = JSON.stringify({ tokenStatus: tokenResponse.status, searchStatus: search.status, contentType: search.headers.get('Content-Type'), bundle });
} catch (error) {
  out.dataset.result = JSON.stringify({ error: String(error) });
}
out.dataset.done = 'yes';
</script>`;
}

function serveAppPage(html: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(html());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('a browser app on another origin (real headless Chromium)', () => {
  let sandbox: RunningServer | undefined;
  let app: { server: Server; origin: string } | undefined;
  // Launched by the first test, so a missing browser fails every test with the reason instead of skipping them.
  let launched: Promise<HeadlessChromium> | undefined;
  const browser = () => (launched ??= startHeadlessChromium());
  const running = () => {
    if (sandbox === undefined || app === undefined) throw new Error('the sandbox or the app page did not start');
    return { sandbox, app };
  };

  beforeAll(async () => {
    const created = await createSandbox(testConfig(), { waitUntilSeeded: true });
    const listening = await listen(created.app, 0, '127.0.0.1');
    sandbox = listening;
    app = await serveAppPage(() => appPage(listening.origin));
  });

  afterAll(async () => {
    await (await launched?.catch(() => undefined))?.close();
    await sandbox?.close(0);
    const server = app?.server;
    if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  });

  it('gets a token and searches patients through CORS', { timeout: 60_000 }, async () => {
    const { app } = running();
    const page = await (await browser()).context.newPage();
    await page.goto(app.origin);
    await page.waitForSelector('#result[data-done="yes"]', { state: 'attached' });
    const result = JSON.parse((await page.getAttribute('#result', 'data-result')) ?? '{}');
    expect(result.error).toBeUndefined();
    expect(result.tokenStatus).toBe(200);
    expect(result.searchStatus).toBe(200);
    expect(result.contentType).toMatch(/^application\/(fhir\+json|json\+fhir)/);
    expect(result.bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(result.bundle.entry[0].resource.id).toBe('ruth-black');
    await page.close();
  });

  it('reads error answers and exposed headers, and cannot reach the admin API', { timeout: 60_000 }, async () => {
    const { sandbox, app } = running();
    const page = await (await browser()).context.newPage();
    await page.goto(app.origin);
    const seen = await page.evaluate(async (base) => {
      const unauthorized = await fetch(`${base}/fhir/stu3/Patient?_count=1`, { headers: { Authorization: 'Bearer not-a-token' } });
      let admin: string;
      try {
        await fetch(`${base}/admin/tenants`);
        admin = 'reachable';
      } catch (error) {
        admin = `refused: ${String(error)}`;
      }
      return {
        status: unauthorized.status,
        wwwAuthenticate: unauthorized.headers.get('WWW-Authenticate'),
        outcome: ((await unauthorized.json()) as { resourceType: string }).resourceType,
        admin,
      };
    }, sandbox.origin);
    expect(seen.status).toBe(401);
    expect(seen.wwwAuthenticate).toMatch(/^Bearer .*invalid_token/);
    expect(seen.outcome).toBe('OperationOutcome');
    expect(seen.admin).toMatch(/^refused: TypeError/);
    await page.close();
  });

  it('shows the front page with tenants, example patients and curl lines', { timeout: 60_000 }, async () => {
    const { sandbox } = running();
    const page = await (await browser()).context.newPage();
    const failedRequests: string[] = [];
    page.on('requestfailed', (request) => failedRequests.push(request.url()));
    const response = await page.goto(`${sandbox.origin}/`);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    await expect(page.title()).resolves.toContain('patients-sandbox');
    const text = await page.locator('main').innerText();
    for (const expected of ['Northside', 'Lakeview', 'Harborview', STU3_TENANT, 'Ruth Black', `${sandbox.origin}/oauth2/token`, `${sandbox.origin}/fhir/r4`, 'demo-client', 'curl -s']) expect(text).toContain(expected);
    // One row and two copyable curl lines per tenant of the test profile (two STU3, one DSTU2, one R4).
    expect(await page.locator('a', { hasText: 'raw records' }).count()).toBe(4);
    expect(await page.locator('button[data-copy]').count()).toBe(8);
    expect(failedRequests).toEqual([]);
    const screenshot = await page.screenshot({ fullPage: true });
    expect(screenshot.subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });
});

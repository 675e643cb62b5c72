import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/configError.js';
import { SAMPLE_EVERY } from '../../src/config/requestLogMode.js';
import { resolveConfig } from '../../src/config/sandboxConfig.js';
import { collectingLog } from './collectingLog.js';

const request = (status: number, path = '/fhir/stu3/Patient/1') =>
  ({ type: 'request', at: 0, requestId: `r${status}`, method: 'GET', route: '/fhir/:version/:type/:id', path, status, ms: 1.5 }) as const;

describe('--log-requests', () => {
  it('all (the default): one JSON line per request with every field of the event, escaped', async () => {
    const { events, lines, log } = collectingLog('all');
    events.emit({ ...request(200, '/fhir/stu3/Patient?name="x"\\y'), tenantId: 't', clientClosed: false, retryAfterSeconds: 3 });
    await log.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      event: 'request',
      requestId: 'r200',
      method: 'GET',
      route: '/fhir/:version/:type/:id',
      path: '/fhir/stu3/Patient?name="x"\\y',
      status: 200,
      ms: 1.5,
      tenantId: 't',
      clientClosed: false,
      retryAfterSeconds: 3,
      msg: 'GET /fhir/stu3/Patient?name="x"\\y 200',
    });
    expect(Number.isNaN(Date.parse(lines[0]?.time as string))).toBe(false);
    expect(lines[0]).not.toHaveProperty('type');
    expect(lines[0]).not.toHaveProperty('at');
  });

  it(`sampled: every 4xx and 5xx, and one in ${SAMPLE_EVERY} of the others`, async () => {
    const { events, lines, log } = collectingLog('sampled');
    for (let index = 0; index < 2 * SAMPLE_EVERY + 1; index++) events.emit(request(200));
    events.emit(request(404));
    events.emit(request(503));
    await log.close();
    expect(lines.map((line) => line.status)).toEqual([200, 200, 200, 404, 503]);
    expect(lines.map((line) => line.level)).toEqual([30, 30, 30, 40, 50]);
  });

  it('off: no request lines, other events still logged', async () => {
    const { events, lines, log } = collectingLog('off');
    events.emit(request(500));
    events.emit({ type: 'warning', at: 0, message: 'careful' });
    await log.close();
    expect(lines.map((line) => line.event)).toEqual(['warning']);
  });

  it('is set by the flag or the environment, and refuses other values', () => {
    expect(resolveConfig({}, {}).logRequests).toBe('all');
    expect(resolveConfig({ logRequests: 'sampled' }, {}).logRequests).toBe('sampled');
    expect(resolveConfig({}, { PATIENTS_SANDBOX_LOG_REQUESTS: 'off' }).logRequests).toBe('off');
    expect(() => resolveConfig({ logRequests: 'some' }, {})).toThrow(ConfigError);
  });
});

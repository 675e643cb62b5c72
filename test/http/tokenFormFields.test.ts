import { describe, expect, it } from 'vitest';
import { formFields } from '../../src/http/tokenForm.js';

/** What the token form read before it split plain forms itself: URLSearchParams, repeated names kept in order. */
function byUrlSearchParams(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const existing = fields[name];
    fields[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return fields;
}

describe('formFields', () => {
  it('reads every form as URLSearchParams does, plain or encoded', () => {
    const bodies = [
      '',
      'grant_type=client_credentials&client_id=bench&client_secret=bench-secret&scope=b0000000-0000-4000-8000-000000000001',
      'scope=a+b&scope=c',
      'scope=3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50%20system%2FPatient.read',
      '?grant_type=client_credentials',
      'a=1=2&&b&=c&d=',
      'client_secret=%E2%82%AC%ZZ%&x=%2',
      'client_id=\ud800x&y=é',
      'grant-type=client_credentials&client_assertion=eyJ.eyJ.sig&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer',
    ];
    for (const body of bodies) expect(formFields(body), body).toEqual(byUrlSearchParams(body));
  });
});

import { describe, expect, it } from 'vitest';
import { httpDate } from '../../src/fhir/handlers/httpDate.js';

describe('httpDate', () => {
  it('formats an instant as an HTTP-date, the same text each time, for more instants than it remembers', () => {
    expect(httpDate(Date.UTC(2026, 11, 1, 10, 0, 0))).toBe('Tue, 01 Dec 2026 10:00:00 GMT');
    for (let index = 0; index < 3000; index++) {
      const instant = Date.UTC(2020, 0, 1) + index * 1234567;
      expect(httpDate(instant)).toBe(new Date(instant).toUTCString());
      expect(httpDate(instant)).toBe(new Date(instant).toUTCString());
    }
    expect(httpDate(Date.UTC(2026, 11, 1, 10, 0, 0))).toBe('Tue, 01 Dec 2026 10:00:00 GMT');
  });
});

import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { TenantsPanel, progressBar } from '../../src/dashboard/TenantsPanel.js';

afterEach(() => cleanup());

describe('seeding progress', () => {
  it('draws a bar with the percentage in the given width', () => {
    expect(progressBar(0, 100, 14)).toBe('░░░░░░░░░░░ 0%');
    expect(progressBar(50, 100, 14)).toBe('█████░░░░░ 50%');
    expect(progressBar(100, 100, 15)).toBe('██████████ 100%');
    expect(progressBar(5, 0, 10)).toMatch(/0%$/);
  });

  it('shows a progress bar for a tenant still seeding, and its faults once ready', () => {
    const rows = [
      { id: '3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50', name: 'Northside', fhirVersion: 'stu3' as const, patients: 30_000, ready: false, seeding: { done: 30_000, total: 100_000 }, faults: [], traffic: undefined },
      { id: 'c4d5e6f7-8a9b-4c0d-9e1f-2a3b4c5d6e70', name: 'Lakeview', fhirVersion: 'dstu2' as const, patients: 200, ready: true, seeding: { done: 200, total: 200 }, faults: ['err 503'], traffic: undefined },
    ];
    const { lastFrame } = render(<TenantsPanel tenants={rows} selected={0} width={100} maxRows={5} />);
    const frame = lastFrame() ?? '';
    const northside = frame.split('\n').find((line) => line.includes('Northside') && line.includes('3f8e2a10 ')) ?? '';
    expect(northside).toMatch(/30000….*█+░+ 30%/);
    const lakeview = frame.split('\n').find((line) => line.includes('Lakeview')) ?? '';
    expect(lakeview).toContain('err 503');
    expect(lakeview).not.toContain('░');
  });
});

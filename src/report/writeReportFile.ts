import { writeFile } from 'node:fs/promises';
import type { ReportCard } from './reportCard.js';

/** `--report FILE`: JUnit XML when the file name ends in .xml, the JSON of GET /admin/report otherwise. */
export async function writeReportFile(file: string, report: ReportCard): Promise<void> {
  // The XML builder is loaded only when asked for, so start-up does not pay for it.
  const text = file.toLowerCase().endsWith('.xml') ? (await import('./reportJUnit.js')).reportAsJUnit(report) : `${JSON.stringify(report, null, 2)}\n`;
  await writeFile(file, text, 'utf8');
}

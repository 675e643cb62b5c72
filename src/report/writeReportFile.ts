import { writeFile } from 'node:fs/promises';
import type { ReportCard } from './reportCard.js';
import { reportAsJUnit } from './reportJUnit.js';

/** `--report FILE`: JUnit XML when the file name ends in .xml, the JSON of GET /admin/report otherwise. */
export async function writeReportFile(file: string, report: ReportCard): Promise<void> {
  const text = file.toLowerCase().endsWith('.xml') ? reportAsJUnit(report) : `${JSON.stringify(report, null, 2)}\n`;
  await writeFile(file, text, 'utf8');
}

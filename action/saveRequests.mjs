// @ts-check
/**
 * The action's post step, run only when the job failed: saves the sandbox's recent requests
 * (GET /admin/requests) to a file in the workspace and lists the failed ones in the log and in the
 * job summary, so a red build shows what the code under test asked and what it got.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { state, warn } from './runnerFiles.mjs';

// The admin API keeps the last 500 requests.
const REQUEST_LIMIT = 500;

const adminUrl = state('admin-url');
const adminKey = state('admin-key');
const file = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd(), state('requests-file') || 'patients-sandbox-requests.json');

try {
  const response = await fetch(`${adminUrl}/requests?limit=${REQUEST_LIMIT}`, {
    headers: adminKey === '' ? {} : { 'x-admin-key': adminKey },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`GET ${adminUrl}/requests answered ${response.status}`);
  const requests = /** @type {Array<{ method: string, path: string, status: number, ms: number, fault?: string }>} */ (await response.json());
  writeFileSync(file, `${JSON.stringify(requests, null, 2)}\n`);
  const failed = requests.filter((request) => request.status >= 400);
  console.log(`saved ${requests.length} requests to ${file}; ${failed.length} of them failed`);
  const lines = failed.map((request) => `${request.status} ${request.method} ${request.path}${request.fault ? ` (fault: ${request.fault})` : ''} ${request.ms} ms`);
  for (const line of lines.slice(-50)) console.log(line);
  if (process.env.GITHUB_STEP_SUMMARY) {
    const rows = lines.slice(-50).map((line) => `| ${line.replace(/\|/g, '\\|')} |`);
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, `### patients-sandbox: ${failed.length} failed of ${requests.length} requests\n\n| request |\n|---|\n${rows.join('\n')}\n\nAll requests: \`${file}\`\n`);
  }
} catch (error) {
  // A post step must not turn one failure into two: say what happened and leave the job's result alone.
  warn(`could not save the sandbox's requests: ${error instanceof Error ? error.message : String(error)}`);
}

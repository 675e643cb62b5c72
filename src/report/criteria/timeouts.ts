import { evidenceOf, MAX_EVIDENCE, seconds, startOf, type Criterion } from '../clientTraffic.js';
import type { Evidence } from '../reportCard.js';

/** Timeouts: during a `hang` fault the client closes the connection within the timeout it states. */
export const timeouts: Criterion = ({ requests }, { settings }) => {
  const hung = requests.filter((request) => request.faultKind === 'hang');
  if (hung.length === 0) return { result: 'not-observed', summary: 'no request was hung', evidence: [] };
  const limitMs = settings.clientTimeoutSeconds * 1000;
  const late: Evidence[] = [];
  const abandoned: Evidence[] = [];
  for (const request of hung) {
    const held = request.at - startOf(request);
    if (request.clientClosed === true && held <= limitMs) abandoned.push(evidenceOf(request, `closed the hung connection after ${seconds(held)}`));
    else if (request.clientClosed === true) late.push(evidenceOf(request, `closed the hung connection after ${seconds(held)}, past its ${settings.clientTimeoutSeconds}s timeout`));
    else late.push(evidenceOf(request, `kept waiting until the sandbox dropped the connection after ${seconds(held)}`));
  }
  if (late.length > 0) return { result: 'fail', summary: `${late.length} of ${hung.length} hung requests not abandoned within ${settings.clientTimeoutSeconds}s`, evidence: late.slice(0, MAX_EVIDENCE) };
  return { result: 'pass', summary: `${hung.length} hung request(s) abandoned within ${settings.clientTimeoutSeconds}s`, evidence: abandoned.slice(0, MAX_EVIDENCE) };
};

import type { CheckRun } from './checkRun.js';
import { isObject, searchsetProblem, type JsonObject } from './fhirJson.js';
import type { Exchange } from './httpTransport.js';

/** Reading an answer the way a check needs it: the resource it should hold, or words for what it held instead. */

/** "HTTP 404: Patient/x is not known" or "no answer: connection refused": what a failed call got. */
export function describeAnswer(run: CheckRun, exchange: Exchange): string {
  if (exchange.status === undefined) return `no answer: ${exchange.failure ?? 'unknown error'}`;
  if (exchange.failure !== undefined) return `HTTP ${exchange.status}, then ${exchange.failure}`;
  const parsed = run.json(exchange);
  const body = parsed.ok && isObject(parsed.value) ? parsed.value : undefined;
  const issue = Array.isArray(body?.issue) ? body.issue.find(isObject) : undefined;
  const diagnostics = typeof issue?.diagnostics === 'string' ? issue.diagnostics : typeof body?.error_description === 'string' ? body.error_description : undefined;
  return diagnostics === undefined ? `HTTP ${exchange.status}` : `HTTP ${exchange.status}: ${diagnostics}`;
}

/** A 200 answer holding a searchset Bundle, or what it held instead. */
export function searchsetOf(run: CheckRun, exchange: Exchange): { bundle: JsonObject } | { problem: string } {
  if (exchange.status !== 200) return { problem: describeAnswer(run, exchange) };
  const parsed = run.json(exchange);
  if (!parsed.ok) return { problem: parsed.problem };
  const problem = searchsetProblem(parsed.value);
  return problem === undefined ? { bundle: parsed.value as JsonObject } : { problem };
}

/** A 200 answer holding one resource of the type, or what it held instead. */
export function resourceOf(run: CheckRun, exchange: Exchange, resourceType: string): { resource: JsonObject } | { problem: string } {
  if (exchange.status !== 200) return { problem: describeAnswer(run, exchange) };
  const parsed = run.json(exchange);
  if (!parsed.ok) return { problem: parsed.problem };
  if (!isObject(parsed.value) || parsed.value.resourceType !== resourceType) {
    const got = isObject(parsed.value) && typeof parsed.value.resourceType === 'string' ? parsed.value.resourceType : 'no resource';
    return { problem: `expected a ${resourceType}, got ${got}` };
  }
  return { resource: parsed.value };
}

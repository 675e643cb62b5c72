import type { ReportedRequest, ReportedResponse } from './checkReport.js';
import type { Exchange, OutgoingRequest } from './httpTransport.js';

const REDACTED = '<redacted>';
const BODY_EXCERPT_CHARS = 500;
// Form fields and headers that carry secrets: a report is pasted into tickets and CI logs.
const SECRET_FIELDS = new Set(['client_secret', 'client_assertion']);
// Tokens in a token answer's JSON are credentials too, live for as long as they last.
const TOKEN_MEMBERS = /("(?:access|refresh|id)_token"\s*:\s*")(?:[^"\\]|\\.)*(")/g;

export function reportedRequest(request: OutgoingRequest): ReportedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = name.toLowerCase() === 'authorization' ? `${value.split(' ')[0] ?? ''} ${REDACTED}` : value;
  }
  const reported: ReportedRequest = { method: request.method, url: request.url, headers };
  if (request.body !== undefined) reported.body = excerpt(redactForm(request));
  return reported;
}

export function reportedResponse(exchange: Exchange): ReportedResponse {
  if (exchange.status === undefined) return { error: exchange.failure ?? 'no answer', ms: round(exchange.ms) };
  const response: ReportedResponse = { status: exchange.status, ms: round(exchange.ms) };
  if (exchange.contentType !== undefined) response.contentType = exchange.contentType;
  if (exchange.text !== '') response.body = excerpt(exchange.text.replace(TOKEN_MEMBERS, `$1${REDACTED}$2`));
  return response;
}

function redactForm(request: OutgoingRequest): string {
  const body = request.body ?? '';
  const type = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return body;
  const form = new URLSearchParams(body);
  for (const name of SECRET_FIELDS) if (form.has(name)) form.set(name, REDACTED);
  return decodeURIComponent(form.toString().replace(/\+/g, ' '));
}

function excerpt(text: string): string {
  return text.length <= BODY_EXCERPT_CHARS ? text : `${text.slice(0, BODY_EXCERPT_CHARS)}…`;
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

import { BROKEN_PAGE_PARAM } from '../../faults/brokenPageLink.js';
import { byTime, describeCall, evidenceOf, isFhirCall, MAX_EVIDENCE, type Criterion, type GradedRequest } from '../clientTraffic.js';
import type { Evidence } from '../reportCard.js';

/** A link as given and a request as sent compare by path and query, whatever origin wrote them. */
function normalised(url: string): string {
  const parsed = new URL(url, 'http://sandbox.invalid');
  return `${parsed.pathname}${parsed.search}`;
}

/** A request for a page after the first: an offset past 0, or the marker of a link the fault layer broke. */
function asksForLaterPage(request: GradedRequest): boolean {
  if (request.query === undefined) return false;
  const params = new URLSearchParams(request.query);
  return Number(params.get('_offset') ?? '0') > 0 || params.has(BROKEN_PAGE_PARAM);
}

/**
 * Paging: every request for a later page is a next link the client was given (so it neither builds
 * its own offsets nor goes past the last page), and a link that answered 404 is not asked for again.
 */
export const paging: Criterion = ({ requests }) => {
  const given = new Map<string, { from: string; answered?: number }>();
  const problems: Evidence[] = [];
  // Examples for a pass: the first few links followed (building evidence for every one is wasted work).
  const examples: Evidence[] = [];
  let followed = 0;
  let broken = 0;
  for (const request of requests) {
    if (!isFhirCall(request)) continue;
    if (asksForLaterPage(request)) {
      const url = normalised(`${request.path}${request.query === undefined ? '' : `?${request.query}`}`);
      const link = given.get(url);
      if (link === undefined) {
        problems.push(evidenceOf(request, `${describeCall(request)}: no next link led here (an offset of its own, or past the last page)`));
      } else if (link.answered === 404) {
        problems.push(evidenceOf(request, `${describeCall(request)} again after it answered 404: looping on a broken link`));
      } else {
        link.answered = request.status;
        if (request.query?.includes(BROKEN_PAGE_PARAM) === true) broken++;
        followed++;
        if (examples.length < MAX_EVIDENCE) examples.push(evidenceOf(request, `followed the next link from ${link.from}`));
      }
    }
    if (request.nextLink !== undefined) given.set(normalised(request.nextLink), { from: request.requestId });
  }
  if (problems.length > 0) return { result: 'fail', summary: `${problems.length} page request(s) not from a next link as given`, evidence: problems.sort(byTime).slice(0, MAX_EVIDENCE) };
  if (followed === 0) return { result: 'not-observed', summary: 'no next link was followed', evidence: [] };
  const brokenNote = broken === 0 ? '' : `; ${broken} broken link(s) followed once and left`;
  return { result: 'pass', summary: `followed ${followed} next link(s) as given${brokenNote}`, evidence: examples };
};

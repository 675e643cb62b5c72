import { searchsetOf } from './answerReading.js';
import { CALLS } from './checkCatalog.js';
import { unmet } from './checkPrerequisites.js';
import { failed, passed, skipped, type CheckRun, type Verdict } from './checkRun.js';
import { callFhir } from './clientRequests.js';
import { bundleEntries, bundleLink, isObject, resourceKey } from './fhirJson.js';
import type { Exchange } from './httpTransport.js';
import { PATIENT_PAGE_SIZE } from './patientCalls.js';
import { rememberClinical, rememberCountedPage, type RunFacts } from './runFacts.js';

/**
 * The client's patient list, page after page: next links followed to the last page (or the page
 * limit), watching for pages that fail, repeat, or disagree with Bundle.total; and `_count` on every
 * page the run saw.
 */
export async function pagingCalls(run: CheckRun, facts: RunFacts): Promise<void> {
  await run.check(CALLS.pagingNextLinks, () => followNextLinks(run, facts));
  await run.check(CALLS.pagingTotal, async () => totalVerdict(run, facts));
  await run.check(CALLS.countHonoured, async () => countVerdict(facts));
}

async function followNextLinks(run: CheckRun, facts: RunFacts): Promise<Verdict> {
  const waiting = unmet(facts, 'version', 'token');
  if (waiting !== undefined) return waiting;
  // The list is the patient search again: when that fails, paging through it shows nothing new.
  if (run.outcomeOf(CALLS.patientSearch.id) === 'failed') return skipped('the patient list does not load (calls.patient-search failed)');
  const form = new URLSearchParams({ _count: String(PATIENT_PAGE_SIZE) });
  const firstSeen = new Map<string, number>();
  const visited = new Set<string>();
  const totals: number[] = [];
  let exchange: Exchange = await callFhir(run, facts, 'POST', 'Patient/_search', { form });
  for (let page = 1; ; page++) {
    const found = searchsetOf(run, exchange);
    const where = page === 1 ? 'page 1 (POST Patient/_search)' : `page ${page} (GET ${exchange.request.url})`;
    if ('problem' in found) return failed(`${where}: ${found.problem}`, exchange);
    rememberCountedPage(facts, form, found.bundle, exchange);
    totals.push(found.bundle.total as number);
    const repeated: string[] = [];
    for (const entry of bundleEntries(found.bundle)) {
      const key = typeof entry.fullUrl === 'string' ? entry.fullUrl : isObject(entry.resource) ? resourceKey(entry.resource) : '';
      const earlier = firstSeen.get(key);
      if (earlier !== undefined) repeated.push(`${key} (first on page ${earlier})`);
      else firstSeen.set(key, page);
      if (isObject(entry.resource)) rememberClinical(facts, entry.resource);
    }
    if (repeated.length > 0) return failed(`${where} repeats ${repeated.length} entries already seen, e.g. ${repeated[0]}`, exchange);
    const next = bundleLink(found.bundle, 'next');
    const complete = next === undefined;
    if (complete || page >= facts.options.maxPages) {
      facts.paging = { complete, pages: page, distinct: firstSeen.size, totals };
      const extent = complete ? `${page} page${page === 1 ? '' : 's'} to the end` : `${page} pages (the limit), not yet at the end`;
      return passed(`${extent}: ${firstSeen.size} distinct entries, none repeated`, exchange);
    }
    if (visited.has(next)) return failed(`${where}: its next link leads back to a page already loaded (${next})`, exchange);
    visited.add(next);
    exchange = await callFhir(run, facts, 'GET', next);
  }
}

function totalVerdict(run: CheckRun, facts: RunFacts): Verdict {
  const paging = facts.paging;
  if (run.outcomeOf(CALLS.pagingNextLinks.id) !== 'passed' || paging === undefined) return skipped('the pages were not all read (calls.paging-next-links)');
  const first = paging.totals[0] ?? 0;
  const differing = paging.totals.findIndex((total) => total !== first);
  if (differing !== -1) return failed(`Bundle.total changes between pages: ${first} on page 1, ${paging.totals[differing]} on page ${differing + 1}`);
  if (!paging.complete) {
    return first >= paging.distinct
      ? passed(`Bundle.total ${first}; ${paging.distinct} entries read before the page limit`)
      : failed(`Bundle.total ${first}, yet ${paging.distinct} distinct entries were read`);
  }
  return first === paging.distinct
    ? passed(`Bundle.total ${first} = ${paging.distinct} entries over ${paging.pages} page${paging.pages === 1 ? '' : 's'}`)
    : failed(`Bundle.total says ${first}; the ${paging.pages} pages held ${paging.distinct} distinct entries`);
}

function countVerdict(facts: RunFacts): Verdict {
  if (facts.countedPages.length === 0) return skipped('no search page with _count came back');
  const over = facts.countedPages.find((page) => page.entries > page.count);
  if (over !== undefined) return failed(`_count=${over.count}, yet the page held ${over.entries} entries`, over.exchange);
  return { ...passed(`${facts.countedPages.length} pages, none over its _count`), examined: facts.countedPages.length };
}

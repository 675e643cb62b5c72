import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALLS, DATA, DISCOVERY, HTTP, TOKEN, fieldsCheck, timingChecks } from '../../src/check/checkCatalog.js';
import { clinicalSearches } from '../../src/check/clinicalCalls.js';
import { clinicalFields } from '../../src/check/requiredFields.js';
import { CHECK_VERSIONS, VERSION_CALL_SETS } from '../../src/check/versionCallSets.js';
import { packageRoot } from '../../src/lib/packageRoot.js';

/** Every check id a run can report, on any version. */
function everyCheckId(): Set<string> {
  const fixed = [DISCOVERY, TOKEN, CALLS, DATA, HTTP, timingChecks({ slowCallMs: 1, pageLoadMs: 1 })].flatMap((group) => Object.values(group).map((check) => check.id));
  const perVersion = CHECK_VERSIONS.flatMap((version) => {
    const callSet = VERSION_CALL_SETS[version];
    const searches = clinicalSearches(callSet, 'p').map((search) => search.definition.id);
    const fields = Object.entries(clinicalFields(callSet)).map(([type, requirements]) => fieldsCheck(type, requirements.map((r) => r.label)).id);
    return [...searches, ...fields];
  });
  return new Set([...fixed, ...perVersion]);
}

describe('docs/check-report.md', () => {
  const doc = readFileSync(path.join(packageRoot, 'docs', 'check-report.md'), 'utf8');

  it('lists every check id a run can report, and no other', () => {
    const catalogRows = new Set([...doc.matchAll(/^\| `((?:discovery|token|calls|data|http|timing)\.[a-z0-9-]+)`/gm)].map((match) => match[1]));
    expect([...catalogRows].sort()).toEqual([...everyCheckId()].sort());
  });

  it('names only real checks in its fault table and elsewhere', () => {
    const mentioned = new Set([...doc.matchAll(/`((?:discovery|token|calls|data|http|timing)\.[a-z0-9-]+)`/g)].map((match) => match[1]));
    const known = everyCheckId();
    expect([...mentioned].filter((id) => id !== undefined && !known.has(id))).toEqual([]);
  });
});

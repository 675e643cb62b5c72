import { VERSION_CALL_SETS } from '../../check/versionCallSets.js';
import { pageLoadSearches } from '../../simulator/pageLoadBatch.js';
import type { FhirVersion } from '../../fhir/types.js';
import type { UpstreamTenant } from '../upstreamTenant.js';

/** One call the pull made, for the command's log and its exit code. */
export interface PulledCall {
  path: string;
  status: number;
}

/**
 * The contract client's calls for each patient: its read, then every search the client sends for a
 * patient's page in this version's spelling (the same list `check` sends). Each answer streams
 * through the upstream tenant, whose recording keeps what it holds.
 */
export async function pullPatients(upstream: UpstreamTenant, fhirVersion: FhirVersion, patientIds: readonly string[], onCall: (call: PulledCall) => void): Promise<PulledCall[]> {
  const calls: PulledCall[] = [];
  const callSet = VERSION_CALL_SETS[fhirVersion];
  for (const patientId of patientIds) {
    const paths = [`Patient/${encodeURIComponent(patientId)}`, ...pageLoadSearches(callSet.searchSyntax, patientId), ...callSet.extraSearches(patientId)];
    for (const target of paths) {
      const [path, query = ''] = target.split('?') as [string, string?];
      const answer = await upstream.forward({ method: 'GET', path, query, headers: {}, gatewayBase: upstream.baseUrl });
      // Read to the end: the recording sees the resources as they pass.
      if (answer.body !== undefined) for await (const _chunk of answer.body) void _chunk;
      const call = { path: target, status: answer.status };
      calls.push(call);
      onCall(call);
    }
  }
  return calls;
}

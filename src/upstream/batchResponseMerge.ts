import { STATUS_CODES } from 'node:http';
import { JSONParser } from '@streamparser/json';
import type { FhirError } from '../fhir/errors.js';
import { operationOutcome } from '../fhir/outcome.js';
import { urnUuid } from '../fhir/text/urnUuid.js';
import type { VersionAdapter } from '../fhir/versions/versionAdapter.js';

/** A refused batch entry as a batch-response entry: its OperationOutcome and status, as the FHIR core writes one. */
export function refusedEntry(error: FhirError, adapter: VersionAdapter, name: string): Record<string, unknown> {
  return {
    fullUrl: urnUuid(name),
    resource: operationOutcome(error.issues, adapter),
    response: { status: `${error.status} ${STATUS_CODES[error.status] ?? ''}`.trim() },
  };
}

/**
 * The upstream's batch-response with the entries answered here put back at their places, so the
 * client gets one entry per entry it sent, in its order. Reads the upstream's answer one entry at a
 * time (a searchset inside an entry is the largest piece held), and writes the Bundle anew: its own
 * entries and the upstream's, nothing else of the upstream's envelope.
 */
export function mergeBatchResponse(refused: ReadonlyMap<number, Record<string, unknown>>, entries: number) {
  return async function* merge(upstream: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
    const parser = new JSONParser({ paths: ['$.entry.*'], keepStack: false });
    const arrived: unknown[] = [];
    parser.onValue = ({ value }) => {
      arrived.push(value);
    };
    let position = 0;
    let written = 0;
    const next = (entry: unknown): string => `${written++ === 0 ? '' : ','}${JSON.stringify(entry)}`;
    function* refusedFromHere(): Generator<string> {
      for (let entry = refused.get(position); entry !== undefined; entry = refused.get(position)) {
        yield next(entry);
        position++;
      }
    }
    yield '{"resourceType":"Bundle","type":"batch-response","entry":[';
    yield* refusedFromHere();
    for await (const chunk of upstream) {
      if (!parser.isEnded) parser.write(chunk);
      for (const entry of arrived.splice(0)) {
        yield next(entry);
        position++;
        yield* refusedFromHere();
      }
    }
    // Refusals after the upstream's last entry (or all of them, if its answer held none).
    for (; position < entries; position++) {
      const entry = refused.get(position);
      if (entry !== undefined) yield next(entry);
    }
    yield ']}';
  };
}

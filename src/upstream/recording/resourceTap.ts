import { Transform } from 'node:stream';
import { JSONParser } from '@streamparser/json';
import type { Resource } from '../../fhir/types.js';
import { RESOURCE_LIMITS } from '../../fhir/resourceLimits.js';

/**
 * Finds the resources in a FHIR JSON answer while it streams past: the resource itself for a read or
 * a write, every `entry[].resource` of a Bundle (and of the searchsets a batch-response holds), one
 * entry at a time, so a large searchset is never held whole. A body that is not JSON is ignored.
 */
export class ResourceTap {
  readonly #found: (resource: Resource) => void;
  readonly #parser = new JSONParser({ paths: ['$.resourceType', '$.entry.*'], keepStack: false });
  /** The body so far while it may be a single resource (not a Bundle), up to the resource size limit. */
  #captured: Buffer[] | undefined = [];
  #capturedBytes = 0;
  #broken = false;

  constructor(found: (resource: Resource) => void) {
    this.#found = found;
    this.#parser.onValue = ({ value, key, stack }) => {
      if (stack.length === 1 && key === 'resourceType') {
        // A Bundle is read entry by entry: the whole text is not needed.
        if (value === 'Bundle') this.#captured = undefined;
        return;
      }
      const resource = (value as { resource?: unknown } | null)?.resource;
      if (isResource(resource)) this.#entryResource(resource);
    };
    this.#parser.onError = () => {
      this.#broken = true;
    };
  }

  write(chunk: Buffer): void {
    if (this.#broken) return;
    if (this.#captured !== undefined) {
      this.#capturedBytes += chunk.length;
      if (this.#capturedBytes > RESOURCE_LIMITS.maxBytes) this.#captured = undefined;
      else this.#captured.push(chunk);
    }
    try {
      if (!this.#parser.isEnded) this.#parser.write(chunk);
    } catch {
      this.#broken = true;
    }
  }

  /** The body ended: a single resource is handed over now that it is complete. */
  end(): void {
    if (this.#broken || this.#captured === undefined || this.#capturedBytes === 0) return;
    try {
      const value: unknown = JSON.parse(Buffer.concat(this.#captured).toString('utf8'));
      if (isResource(value)) this.#found(value);
    } catch {
      // Not JSON after all: nothing to record.
    } finally {
      this.#captured = undefined;
    }
  }

  /** A pass-through stream that feeds this tap. */
  stream(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.write(chunk);
        done(null, chunk);
      },
      flush: (done) => {
        this.end();
        done();
      },
    });
  }

  #entryResource(resource: Resource): void {
    if (resource.resourceType !== 'Bundle') return this.#found(resource);
    // A batch-response entry holding a searchset (or any nested Bundle): its own entries.
    const entries = (resource as { entry?: unknown }).entry;
    if (!Array.isArray(entries)) return;
    for (const entry of entries) {
      const inner = (entry as { resource?: unknown } | null)?.resource;
      if (isResource(inner)) this.#entryResource(inner);
    }
  }
}

function isResource(value: unknown): value is Resource {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { resourceType?: unknown }).resourceType === 'string';
}

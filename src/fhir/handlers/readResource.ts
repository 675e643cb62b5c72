import { gone, notFound } from '../outcome.js';
import type { FhirProvider } from '../fhirProvider.js';
import type { FhirRequest, FhirResponse } from '../types.js';
import { ifNoneMatchHolds } from './entityTags.js';
import { assertValidId } from './resourceId.js';
import { etagOf, recordResponse } from './responses.js';

/** GET <Type>/<id>: the stored text as is; 304 when If-None-Match holds for the current version. */
export function readResource(request: FhirRequest, provider: FhirProvider, type: string, id: string): FhirResponse {
  assertValidId(id);
  const result = provider.store.read(type, id);
  switch (result.status) {
    case 'found': {
      const etag = etagOf(result.record.versionId);
      if (request.headers.ifNoneMatch !== undefined && ifNoneMatchHolds(request.headers.ifNoneMatch, etag)) {
        return { status: 304, headers: { ETag: etag } };
      }
      return recordResponse(result.record, `${request.baseUrl}/${type}`, 200);
    }
    case 'deleted':
      throw gone(`${type}/${id} was deleted`);
    case 'missing':
      throw notFound(`${type}/${id} is not known`);
  }
}

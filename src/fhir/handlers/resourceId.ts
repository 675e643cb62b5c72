import { badRequest } from '../outcome.js';

/** FHIR's id datatype: 1 to 64 of letters, digits, '-' and '.'. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function assertValidId(id: string): void {
  if (!FHIR_ID.test(id)) throw badRequest(`"${id}" is not a valid FHIR id (1-64 of A-Z a-z 0-9 - .)`, 'id');
}

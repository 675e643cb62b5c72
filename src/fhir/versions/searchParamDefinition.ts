import type { Resource } from '../types.js';

/** A token as found in a resource: Coding/CodeableConcept (system + code), Identifier (system + value), a code or boolean. */
export interface TokenValue {
  system?: string;
  code: string;
}

/** A date or dateTime as a range of FHIR strings; a single date is `{ start: d, end: d }`, an open Period end is absent. */
export interface DateValue {
  start?: string;
  end?: string;
}

interface ParamBase {
  /** The name on the wire, e.g. "birthdate". */
  name: string;
  /** Written into the capability statement's searchParam.documentation. */
  documentation: string;
  /** Where the values come from (the element paths); parameters of one type and source share one index. */
  source: string;
}

export interface StringParamDefinition extends ParamBase {
  type: 'string';
  extract(resource: Resource): string[];
}

export interface TokenParamDefinition extends ParamBase {
  type: 'token';
  extract(resource: Resource): TokenValue[];
}

export interface DateParamDefinition extends ParamBase {
  type: 'date';
  extract(resource: Resource): DateValue[];
}

export interface ReferenceParamDefinition extends ParamBase {
  type: 'reference';
  /** Resource types a bare id (`patient=123`) may refer to, first the most likely. */
  targets: readonly string[];
  /** Reference strings as written in the resource ("Patient/1", or an absolute URL). */
  extract(resource: Resource): string[];
}

/** How one version finds the values of one search parameter in its own resource shapes. */
export type SearchParamDefinition =
  | StringParamDefinition
  | TokenParamDefinition
  | DateParamDefinition
  | ReferenceParamDefinition;

export type SearchParamType = SearchParamDefinition['type'];

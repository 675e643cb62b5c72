import { createHmac } from 'node:crypto';
// The English build alone: the package's index loads every locale, a large part of a start-up.
import { faker } from '@faker-js/faker/locale/en';
import type { Resource } from '../../fhir/types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// Stand-ins for name parts: faker's English first and last names.
const { person } = faker.rawDefinitions;
const STAND_IN_NAMES: readonly string[] = [...(person?.first_name?.generic ?? []), ...(person?.last_name?.generic ?? [])];

// References whose display is a person's name: by the type they point at, or (a display without a reference) by the element.
const PERSON_TYPES = /^(?:Patient|Practitioner|PractitionerRole|RelatedPerson|Person)\//;
const PERSON_ELEMENTS = new Set(['patient', 'subject', 'generalPractitioner', 'careProvider', 'requester', 'agent', 'recorder', 'asserter', 'performer', 'individual', 'prescriber', 'author', 'subscriber', 'policyHolder', 'beneficiary']);
// Strings that are codes, addresses of things or machine values, never free text about a person.
const CODE_KEYS = new Set(['resourceType', 'id', 'reference', 'system', 'code', 'url', 'fullUrl', 'version', 'versionId', 'lastUpdated', 'status', 'use', 'profile', 'unit', 'contentType', 'gender', 'birthDate']);
// Initials are replaced inside names, but not hunted for in free text; nor are numbers this short.
const MIN_NAME_TOKEN = 2;
const MIN_NUMBER_IN_TEXT = 3;

/**
 * Masks what identifies a person in recorded resources, deterministically for a seed: a real name
 * part or number always becomes the same stand-in, so a masked recording stays consistent with itself.
 * First `learn` every resource: name parts (HumanName, and the display of references to people), and
 * whole values (identifier values, Coverage subscriber ids, phone numbers and e-mail addresses, street
 * lines). Then `mask` each: those fields get their stand-ins, and every other text (narratives,
 * reference displays, notes, CodeableConcept texts) has each learnt name part and number replaced
 * wherever it appears. A stand-in is never one of the real values. Left as they are: ids and
 * references (so the recording still links up), codes and a Coding's display, dates (birth date
 * included), and address parts above the street (city, state, postal code).
 */
export class IdentityMasker {
  readonly #key: string;
  /** Lower-cased real name part → stand-in ("" until settled). */
  readonly #names = new Map<string, string>();
  /** Real identifying value → stand-in ("" until settled). */
  readonly #values = new Map<string, string>();
  #pattern: RegExp | undefined;

  constructor(seed: number) {
    this.#key = `patients-sandbox mask ${seed}`;
  }

  learn(resource: Resource): void {
    this.#pattern = undefined;
    visitObjects(resource as unknown as Json, undefined, (object, key) => {
      if (isHumanName(key, object)) for (const text of [object['family'], object['given'], object['text']].flatMap(strings)) this.#learnName(text);
      if (isPersonReference(key, object)) for (const text of strings(object['display'])) this.#learnName(text);
      for (const text of identifyingValues(key, object)) if (!this.#values.has(text)) this.#values.set(text, '');
    });
  }

  mask(resource: Resource): Resource {
    this.#settle();
    return this.#maskObject(resource as unknown as JsonObject, undefined) as unknown as Resource;
  }

  #learnName(text: string): void {
    for (const token of nameTokens(text)) if (!this.#names.has(token)) this.#names.set(token, '');
  }

  /** Gives every learnt value its stand-in and builds the pattern that finds them in free text. */
  #settle(): void {
    if (this.#pattern !== undefined) return;
    const realNames = new Set(this.#names.keys());
    for (const [token, standIn] of this.#names) if (standIn === '') this.#names.set(token, this.#standInName(token, realNames));
    const realValues = new Set(this.#values.keys());
    for (const [text, standIn] of this.#values) if (standIn === '') this.#values.set(text, this.#scramble(text, realValues));
    const wanted = [...this.#names.keys(), ...[...this.#values.keys()].filter((text) => text.length >= MIN_NUMBER_IN_TEXT)];
    const alternatives = wanted.sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.#pattern = alternatives.length === 0 ? /(?!)/gu : new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  }

  #maskObject(object: JsonObject, key: string | undefined): JsonObject {
    const masked: JsonObject = {};
    const humanName = isHumanName(key, object);
    const identifying = new Set(identifyingValues(key, object));
    for (const [name, value] of Object.entries(object)) {
      if (humanName && (name === 'family' || name === 'given')) masked[name] = this.#mapStrings(value, (text) => this.#freeText(text));
      else if (typeof value === 'string' && identifying.has(value)) masked[name] = this.#values.get(value) ?? value;
      else if (name === 'line' && key === 'address') masked[name] = this.#mapStrings(value, (text) => this.#values.get(text) ?? text);
      else if (typeof value === 'string') masked[name] = CODE_KEYS.has(name) || (name === 'display' && 'code' in object) ? value : this.#freeText(value);
      else masked[name] = this.#maskValue(value, name);
    }
    return masked;
  }

  #maskValue(value: Json, key: string): Json {
    if (Array.isArray(value)) return value.map((item) => this.#maskValue(item, key));
    if (isObject(value)) return this.#maskObject(value, key);
    return typeof value === 'string' ? this.#freeText(value) : value;
  }

  #mapStrings(value: Json, map: (text: string) => string): Json {
    if (typeof value === 'string') return map(value);
    return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? map(item) : item)) : value;
  }

  #freeText(text: string): string {
    return text.replace(this.#pattern as RegExp, (found) => {
      const name = this.#names.get(found.toLowerCase());
      if (name !== undefined) return sameCase(found, name);
      return this.#values.get(found) ?? [...this.#values].find(([real]) => real.toLowerCase() === found.toLowerCase())?.[1] ?? found;
    });
  }

  #standInName(token: string, real: ReadonlySet<string>): string {
    for (let attempt = 0; ; attempt++) {
      const candidate = STAND_IN_NAMES[this.#hash(`name ${token} ${attempt}`).readUInt32BE(0) % STAND_IN_NAMES.length] ?? 'Masked';
      if (!real.has(candidate.toLowerCase()) || attempt > 100) return candidate;
    }
  }

  /** Same shape (digits stay digits, letters letters, the rest as it is), other characters; never another real value. */
  #scramble(text: string, real: ReadonlySet<string>): string {
    for (let attempt = 0; ; attempt++) {
      const bytes = this.#hash(`value ${text} ${attempt}`);
      let index = 0;
      const next = () => bytes[index++ % bytes.length] as number;
      const scrambled = text.replace(/[0-9]|\p{L}/gu, (char) => {
        if (char >= '0' && char <= '9') return String(next() % 10);
        const letter = String.fromCharCode(97 + (next() % 26));
        return char === char.toLowerCase() ? letter : letter.toUpperCase();
      });
      if ((scrambled !== text && !real.has(scrambled)) || attempt > 100) return scrambled;
    }
  }

  #hash(text: string): Buffer {
    return createHmac('sha256', this.#key).update(text).digest();
  }
}

function isHumanName(key: string | undefined, object: JsonObject): boolean {
  return key === 'name' && ('family' in object || 'given' in object);
}

function isPersonReference(key: string | undefined, object: JsonObject): boolean {
  if (typeof object['display'] !== 'string') return false;
  const target = object['reference'];
  return typeof target === 'string' ? PERSON_TYPES.test(target) : PERSON_ELEMENTS.has(key ?? '');
}

/** The strings of this object that identify someone as a whole: an identifier's or contact point's value, street lines, a subscriber id. */
function identifyingValues(key: string | undefined, object: JsonObject): string[] {
  const found = strings(object['subscriberId']);
  if ((key === 'identifier' || key === 'telecom') && typeof object['value'] === 'string') found.push(object['value']);
  if (key === 'address') found.push(...strings(object['line']));
  return found;
}

/** Calls `visit` for every object in the tree with the element name it sits under. */
function visitObjects(value: Json, key: string | undefined, visit: (object: JsonObject, key: string | undefined) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visitObjects(item, key, visit);
    return;
  }
  if (!isObject(value)) return;
  visit(value, key);
  for (const [name, inner] of Object.entries(value)) visitObjects(inner, name, visit);
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function strings(value: Json | undefined): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function nameTokens(text: string): string[] {
  return (text.match(/\p{L}[\p{L}'-]*/gu) ?? []).filter((token) => token.length >= MIN_NAME_TOKEN).map((token) => token.toLowerCase());
}

function sameCase(model: string, text: string): string {
  if (model === model.toUpperCase() && model !== model.toLowerCase()) return text.toUpperCase();
  if (model === model.toLowerCase()) return text.toLowerCase();
  return text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

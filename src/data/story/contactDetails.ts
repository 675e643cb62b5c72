import type { StoryRandom } from './storyRandom.js';

/** A US number in the 555-01xx block, which is reserved for fiction. */
export function fictionalPhone(random: StoryRandom): string {
  return `(${random.int(201, 989)}) 555-01${random.digits(2)}`;
}

/** An address under example.com (reserved by RFC 2606), built from the person's name. */
export function fictionalEmail(given: string, family: string, random: StoryRandom): string {
  const local = `${given}.${family}`.toLowerCase().replace(/[^a-z.]/g, '');
  return `${local}${random.digits(2)}@example.com`;
}

/** A lower-case, dash-separated form of a name, safe in URLs and ids. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

import bourne from '@hapi/bourne';

/**
 * A JSON request body's text as co-body's strict mode reads it: empty is `{}`, anything but an
 * object or an array is refused, and an object with an own `__proto__` key (prototype poisoning)
 * is refused. Every refusal is a 400 with co-body's message.
 */
export function parseStrictJsonBody(text: string): unknown {
  if (text === '') return {};
  if (!startsObjectOrArray(text)) throw badJson(new SyntaxError('invalid JSON, only supports object and array'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badJson(error);
  }
  // The key can only be there if its text is, plainly or written with \u escapes: most bodies need no walk.
  if (text.includes('__proto__') || text.includes('\\u')) refusePrototypeKeys(parsed);
  return parsed;
}

/** RFC 8259 whitespace, then `{` or `[`. */
function startsObjectOrArray(text: string): boolean {
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x7b || code === 0x5b) return true;
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return false;
  }
  return false;
}

/** bourne's walk (co-body's own), breadth first without recursion: the depth limit is checked only after parsing. */
function refusePrototypeKeys(root: unknown): void {
  try {
    bourne.scan(root);
  } catch (error) {
    throw badJson(error);
  }
}

function badJson(error: unknown): unknown {
  return Object.assign(error instanceof Error ? error : new SyntaxError(String(error)), { status: 400 });
}

/**
 * A minimal XML reader, enough for machine-written schema files (the HL7 FHIR XSDs): elements and
 * attributes only. Text, comments, processing instructions, CDATA and DOCTYPE are skipped, which
 * is all a schema converter needs. Not a general-purpose parser: it does not check well-formedness
 * beyond matching end tags.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
}

const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(text: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [] };
  const stack: XmlElement[] = [root];
  let at = 0;
  for (;;) {
    const open = text.indexOf('<', at);
    if (open < 0) break;
    if (text.startsWith('<!--', open)) {
      at = skipPast(text, open, '-->');
    } else if (text.startsWith('<![CDATA[', open)) {
      at = skipPast(text, open, ']]>');
    } else if (text.startsWith('<?', open)) {
      at = skipPast(text, open, '?>');
    } else if (text.startsWith('<!', open)) {
      at = skipPast(text, open, '>');
    } else if (text.startsWith('</', open)) {
      const close = skipPast(text, open, '>');
      const name = text.slice(open + 2, close - 1).trim();
      const top = stack.pop();
      if (!top || top.name !== name) throw new SyntaxError(`XML: unexpected </${name}> at offset ${open}`);
      at = close;
    } else {
      const end = tagEnd(text, open);
      const selfClosing = text[end - 1] === '/';
      const body = text.slice(open + 1, selfClosing ? end - 1 : end);
      const nameEnd = body.search(/\s|$/);
      const element: XmlElement = { name: body.slice(0, nameEnd), attributes: readAttributes(body.slice(nameEnd)), children: [] };
      const parent = stack[stack.length - 1];
      if (!parent) throw new SyntaxError(`XML: content after the root element at offset ${open}`);
      parent.children.push(element);
      if (!selfClosing) stack.push(element);
      at = end + 1;
    }
  }
  if (stack.length !== 1) throw new SyntaxError(`XML: <${stack[stack.length - 1]?.name ?? '?'}> is never closed`);
  const [documentElement] = root.children;
  if (!documentElement) throw new SyntaxError('XML: no root element');
  return documentElement;
}

function skipPast(text: string, from: number, marker: string): number {
  const found = text.indexOf(marker, from);
  if (found < 0) throw new SyntaxError(`XML: missing "${marker}" after offset ${from}`);
  return found + marker.length;
}

/** Index of the `>` closing a start tag; attribute values may themselves contain `>`. */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    }
  }
  throw new SyntaxError(`XML: unterminated tag at offset ${from}`);
}

function readAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(ATTRIBUTE)) {
    const [, name, doubleQuoted, singleQuoted] = match;
    if (name) attributes[name] = decodeEntities(doubleQuoted ?? singleQuoted ?? '');
  }
  return attributes;
}

function decodeEntities(value: string): string {
  return value.replace(ENTITY, (_, hex: string | undefined, dec: string | undefined, named: string | undefined) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(parseInt(dec, 10)) : NAMED_ENTITIES[named ?? ''] ?? '',
  );
}

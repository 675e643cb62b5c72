import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { urnUuid } from '../../src/fhir/text/urnUuid.js';

/** RFC 9562 version 5, computed here from its definition: SHA-1 of namespace bytes then name bytes. */
function expectedV5(name: string): string {
  const urlNamespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const namespace = v5Bytes(urlNamespace, Buffer.from('urn:patients-sandbox:bundle-entry', 'utf8'));
  const hex = v5Bytes(namespace, Buffer.from(name, 'utf8')).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function v5Bytes(namespace: Buffer, name: Buffer): Buffer {
  const bytes = createHash('sha1').update(namespace).update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  return bytes;
}

describe('urnUuid', () => {
  it('is the version 5 UUID of the name in the sandbox namespace, for ASCII and non-ASCII names alike', () => {
    for (const name of ['2026-01-01T00:00:00.000Z http://localhost/fhir/stu3 batch entry 0 {"method":"GET"}', 'Zoë Ångström', 'emoji 🙂 and 日本語', '']) {
      expect(urnUuid(name)).toBe(expectedV5(name));
    }
  });

  it('hashes names longer than its scratch space, and shorter ones after them, the same way', () => {
    const long = `${'Zoë 🙂 '.repeat(400)} batch entry 5`;
    expect(urnUuid(long)).toBe(expectedV5(long));
    expect(urnUuid('after the long one')).toBe(expectedV5('after the long one'));
  });

  it('keeps the ids answers have always carried', () => {
    expect(urnUuid('2026-01-01T00:00:00.000Z http://localhost/fhir/stu3/Patient?_count=50&_offset=0 outcome')).toBe(
      'urn:uuid:ed1ad577-f41c-5fe8-9619-52c847eda8d8',
    );
  });

  it('sets the version and variant on every digit a digest can have there', () => {
    const variants = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const name = `entry ${i}`;
      const id = urnUuid(name);
      expect(id).toBe(expectedV5(name));
      variants.add(id.charAt('urn:uuid:'.length + 19));
    }
    expect([...variants].sort()).toEqual(['8', '9', 'a', 'b']);
  });
});

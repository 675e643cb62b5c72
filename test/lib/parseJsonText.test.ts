import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonText } from '../../src/lib/parseJsonText.js';

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJsonText(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a JsonSyntaxError');
}

describe('parseJsonText', () => {
  it('parses JSON as JSON.parse does', () => {
    expect(parseJsonText('{"a": [1, "x", null]}')).toEqual({ a: [1, 'x', null] });
  });

  it.each([
    ['a trailing comma', '{\n  "a": 1,\n}', 3, 1, 'property name expected, found "}"'],
    ['a missing value', '{\n  "name": "x",\n  "tenants": [\n    { "id": 1, }\n  ]\n}', 4, 16, 'property name expected, found "}"'],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3, 'comma expected, found "\\"b\\""'],
    ['an unquoted name', '{ a: 1 }', 1, 3, 'invalid symbol, found "a"'],
    ['a comment', '{\n  // note\n  "a": 1\n}', 2, 3, 'invalid comment token'],
    ['the end of the file', '{ "a": [1, 2', 1, 13, 'found the end of the file'],
    ['Windows line ends', '{\r\n  "a": 1,\r\n  "b": \r\n}', 4, 1, 'value expected'],
  ])('locates %s by line and column', (_name, text, line, column, reason) => {
    const error = syntaxError(text);
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`line ${line}, column ${column}: ${error.reason}`);
  });
});

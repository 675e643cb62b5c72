import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { lineAndColumn } from '../../lib/lineAndColumn.js';

/** Where a text stops being JSON, 1-based, and why in words. */
export interface JsonErrorPosition {
  line: number;
  column: number;
  reason: string;
}

const REASONS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: "':' was expected",
  CommaExpected: "',' was expected",
  CloseBraceExpected: "'}' was expected",
  CloseBracketExpected: "']' was expected",
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape in a string',
  InvalidCharacter: 'a control character inside a string',
};

/**
 * JSON.parse (V8 in Node 20) names no position for most errors; this finds the first error's line
 * and column with a tolerant parser, in strict JSON mode. Only called once JSON.parse has failed.
 */
export function jsonErrorPosition(text: string): JsonErrorPosition {
  if (text.trim() === '') return { line: 1, column: 1, reason: 'the file is empty' };
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const offset = first?.offset ?? text.length;
  const code = first === undefined ? '' : printParseErrorCode(first.error);
  // An error in the last token (an unclosed string, a missing "]") means the text was cut short.
  const reachesEnd = offset + (first?.length ?? 0) >= text.trimEnd().length;
  const reason = reachesEnd ? 'the text ends before the JSON does (truncated?)' : (REASONS[code] ?? 'not valid JSON');
  return { ...lineAndColumn(text, offset), reason };
}

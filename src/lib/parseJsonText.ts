import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { lineAndColumn } from './lineAndColumn.js';

/** Text that is not JSON, located at its first problem (1-based line and column) so a person can fix it. */
export class JsonSyntaxError extends Error {
  readonly code = 'JSON_SYNTAX';
  readonly line: number;
  readonly column: number;
  /** e.g. `comma expected, found "}"` */
  readonly reason: string;

  constructor(line: number, column: number, reason: string, options?: { cause?: unknown }) {
    super(`line ${line}, column ${column}: ${reason}`, options);
    this.name = 'JsonSyntaxError';
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/**
 * JSON.parse, with a failure located by line and column: Node 20's own message gives at best an offset,
 * and for some mistakes only the whole text. jsonc-parser, in strict JSON mode, finds where it breaks.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const errors: ParseError[] = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (first === undefined) throw new JsonSyntaxError(1, 1, (error as Error).message, { cause: error });
    const { line, column } = lineAndColumn(text, first.offset);
    throw new JsonSyntaxError(line, column, `${words(printParseErrorCode(first.error))}, found ${found(text, first)}`, { cause: error });
  }
}

/** "CommaExpected" → "comma expected" */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function found(text: string, error: ParseError): string {
  if (error.offset >= text.length) return 'the end of the file';
  return JSON.stringify(text.slice(error.offset, error.offset + Math.min(Math.max(error.length, 1), 20)));
}

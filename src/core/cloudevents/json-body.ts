/** Reading a JSON request body: strict UTF-8 (RFC 8259 section 8.1), then JSON with a located syntax error. */
import { malformedBody } from './event-errors.js';
import { locateJsonSyntaxError } from './json-syntax.js';

// A leading byte-order mark is ignored (RFC 8259 8.1 lets parsers do so); invalid UTF-8 is an error.
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface JsonBody {
  readonly text: string;
  readonly value: unknown;
}

export function parseJsonBody(body: Uint8Array): JsonBody {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw malformedBody('the body is not valid UTF-8 text (JSON must be UTF-8, RFC 8259 section 8.1)');
  }
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch {
    if (text.trim().length === 0)
      throw malformedBody('the body is empty; a JSON event format body was expected');
    const where = locateJsonSyntaxError(text);
    throw malformedBody(
      where === undefined
        ? 'the body is not valid JSON'
        : `the body is not valid JSON: ${where.reason} at line ${where.line}, column ${where.column} (offset ${where.offset})`,
    );
  }
}

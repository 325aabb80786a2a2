import { constants } from 'node:buffer';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

export interface LineOptions {
  /** The answer to a line longer than `maxLineLength` characters, which is not read: the run goes on after it. */
  tooLong: (lineNumber: number, length: number, max: number) => string;
  /** Default: the longest string the runtime can hold (512 MiB characters), beyond which a line cannot be read. */
  maxLineLength?: number;
}

/**
 * Streams NDJSON: calls `handle` for each non-blank line (1-based line number; it may answer later, by a promise)
 * and writes its answers in order,
 * batched per input chunk, waiting when the output is full. Memory stays bounded whatever the input size.
 */
export async function mapLines(
  input: Readable,
  output: Writable,
  handle: (line: string, lineNumber: number) => string | Promise<string>,
  options: LineOptions,
): Promise<number> {
  const max = options.maxLineLength ?? constants.MAX_STRING_LENGTH;
  input.setEncoding('utf8');
  // The pieces of a line not ended yet. Only each new chunk is searched for the newline, and a long line's pieces
  // are joined once, when it ends: prepending the pending text to every chunk and searching it again made a line
  // of n chunks cost n² (a 40 MB line took 9 s, 80 MB 35 s). A line past `max` is counted, not kept.
  let pending: string[] = [];
  let pendingLength = 0;
  let lineNumber = 0;
  let answered = 0;
  const flush = async (answers: string[]): Promise<void> => {
    if (answers.length === 0) return;
    answered += answers.length;
    if (!output.write(`${answers.join('\n')}\n`)) await once(output, 'drain');
  };
  /** The answer to the line that ends with `last` (its earlier pieces pending), or null when it is blank. */
  const ended = (last: string, n: number): string | Promise<string> | null => {
    const length = pendingLength + last.length;
    const pieces = pending;
    pending = [];
    pendingLength = 0;
    if (length > max) return options.tooLong(n, length, max);
    const whole = pieces.length === 0 ? last : pieces.join('') + last;
    // A byte order mark (files saved by some Windows editors) is no part of the request, before the first line or
    // before any other of files joined together (`cat a.ndjson b.ndjson`): RFC 8259 §8.1 lets a parser ignore it.
    const line = whole.charCodeAt(0) === 0xfeff ? whole.slice(1) : whole;
    return line.trim() === '' ? null : handle(line, n);
  };
  for await (const text of input as AsyncIterable<string>) {
    const answers: string[] = [];
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      lineNumber++;
      const answer = ended(text.slice(start, end), lineNumber);
      if (answer !== null) answers.push(typeof answer === 'string' ? answer : await answer);
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    if (start < text.length) {
      const piece = text.slice(start);
      // Past the limit a line is not kept, only its length, to say it.
      if (pendingLength + piece.length <= max) pending.push(piece);
      else pending = [];
      pendingLength += piece.length;
    }
    await flush(answers);
  }
  const answer = pendingLength > 0 ? ended('', lineNumber + 1) : null;
  if (answer !== null) await flush([typeof answer === 'string' ? answer : await answer]);
  return answered;
}

/** Why a line past the limit was not read. */
export function tooLongMessage(lineNumber: number, length: number, max: number): string {
  return `line ${lineNumber} is ${length} characters long, more than the ${max} a line may have: it was not read`;
}

import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/**
 * Streams NDJSON: calls `handle` for each non-blank line (1-based line number; it may answer later, by a promise)
 * and writes its answers in order,
 * batched per input chunk, waiting when the output is full. Memory stays bounded whatever the input size.
 */
export async function mapLines(
  input: Readable,
  output: Writable,
  handle: (line: string, lineNumber: number) => string | Promise<string>,
): Promise<number> {
  input.setEncoding('utf8');
  let rest = '';
  let lineNumber = 0;
  let answered = 0;
  const flush = async (answers: string[]): Promise<void> => {
    if (answers.length === 0) return;
    answered += answers.length;
    if (!output.write(`${answers.join('\n')}\n`)) await once(output, 'drain');
  };
  let first = true;
  for await (const chunk of input as AsyncIterable<string>) {
    // A byte order mark (files saved by some Windows editors) is not part of the first request.
    const text = rest + (first && chunk.startsWith('\uFEFF') ? chunk.slice(1) : chunk);
    first = false;
    const answers: string[] = [];
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      lineNumber++;
      const line = text.slice(start, end);
      if (line.trim() !== '') {
        const answer = handle(line, lineNumber);
        answers.push(typeof answer === 'string' ? answer : await answer);
      }
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    await flush(answers);
  }
  if (rest.trim() !== '') await flush([await handle(rest, lineNumber + 1)]);
  return answered;
}

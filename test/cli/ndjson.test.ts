import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mapLines } from '../../src/adapters/cli/ndjson.js';

/** Runs mapLines over the given input chunks; returns the lines handed over (with their numbers) and the output. */
async function run(
  chunks: readonly string[],
  maxLineLength?: number,
): Promise<{ lines: [number, string][]; out: string; answered: number }> {
  const lines: [number, string][] = [];
  let out = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  const answered = await mapLines(
    Readable.from(chunks, { objectMode: false }),
    sink,
    (line, n) => {
      lines.push([n, line]);
      return `${n}`;
    },
    {
      tooLong: (n, length, max) => `${n} too long: ${length} > ${max}`,
      ...(maxLineLength === undefined ? {} : { maxLineLength }),
    },
  );
  return { lines, out, answered };
}

describe('mapLines: the NDJSON framing of assent decide', () => {
  it.each([
    [
      'LF',
      ['{"a":1}\n{"b":2}\n'],
      [
        [1, '{"a":1}'],
        [2, '{"b":2}'],
      ],
    ],
    [
      'no final newline',
      ['{"a":1}\n{"b":2}'],
      [
        [1, '{"a":1}'],
        [2, '{"b":2}'],
      ],
    ],
    [
      'CRLF: the CR stays, JSON reads it as whitespace',
      ['{"a":1}\r\n{"b":2}\r\n'],
      [
        [1, '{"a":1}\r'],
        [2, '{"b":2}\r'],
      ],
    ],
    [
      'blank lines are skipped but counted',
      ['{"a":1}\n\n  \r\n{"b":2}\n'],
      [
        [1, '{"a":1}'],
        [4, '{"b":2}'],
      ],
    ],
    ['a BOM before the first line', ['\uFEFF{"a":1}\n'], [[1, '{"a":1}']]],
    [
      'a BOM before a later line (files joined with cat), in its own chunk too',
      ['{"a":1}\n\uFEFF{"b":2}\n', '\uFEFF', '{"c":3}\n'],
      [
        [1, '{"a":1}'],
        [2, '{"b":2}'],
        [3, '{"c":3}'],
      ],
    ],
    [
      'a line split across chunks',
      ['{"a"', ':1}\n{"b"', ':2', '}\n'],
      [
        [1, '{"a":1}'],
        [2, '{"b":2}'],
      ],
    ],
    [
      'a newline at a chunk boundary',
      ['{"a":1}', '\n', '{"b":2}'],
      [
        [1, '{"a":1}'],
        [2, '{"b":2}'],
      ],
    ],
    [
      'several lines in one chunk after a split one',
      ['{"a"', ':1}\n{"b":2}\n{"c":3}\n'],
      [
        [1, '{"a":1}'],
        [2, '{"b":2}'],
        [3, '{"c":3}'],
      ],
    ],
  ] as const)('%s', async (_name, chunks, expected) => {
    const { lines, out, answered } = await run(chunks);
    expect(lines).toEqual(expected);
    expect(answered).toBe(expected.length);
    expect(out).toBe(expected.map(([n]) => `${n}\n`).join(''));
  });

  it.each([
    ['within one chunk', ['{"a":1}\n', 'x'.repeat(11), '\n{"b":2}\n'], ['1', '2 too long: 11 > 10', '3']],
    ['across chunks', ['{"a":1}\n', 'xxxxxx', 'xxxxxx', 'xxxxxx\n{"b":2}\n'], ['1', '2 too long: 18 > 10', '3']],
    ['as the last line, without its newline', ['{"a":1}\n', 'xxxxxx', 'xxxxxx'], ['1', '2 too long: 12 > 10']],
    ['at the limit: read', ['{"a":1}\n', 'xxxxx', 'xxxxx\n'], ['1', '2']],
  ] as const)('a line past the limit is answered as too long and the run goes on: %s', async (_name, chunks, out) => {
    const { out: text } = await run(chunks, 10);
    expect(text.trimEnd().split('\n')).toEqual(out);
  });

  it('reads a huge line in time linear in its size, not quadratic', async () => {
    // 32 MB in 16 KB chunks: re-joining and re-scanning the pending text at each chunk copied ~32 GB (minutes).
    const size = 32 * 1024 * 1024;
    const piece = 16 * 1024;
    const chunks: string[] = ['{"pad":"'];
    for (let n = 0; n < size; n += piece) chunks.push('x'.repeat(piece));
    chunks.push('"}\n{"after":1}\n');
    const started = performance.now();
    const { lines } = await run(chunks);
    const elapsed = performance.now() - started;
    expect(lines.map(([n, l]) => [n, l.length])).toEqual([
      [1, size + 10],
      [2, 11],
    ]);
    expect(elapsed).toBeLessThan(3000);
  }, 120_000);
});

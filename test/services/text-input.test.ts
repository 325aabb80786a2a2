// Text input: UTF-8 or refused with the line of the first invalid byte (whatever chunk it falls in), CRLF as LF.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Utf8Text, utf8ByteStream } from '../../src/services/text-input.js';

async function bytesThrough(chunks: readonly Buffer[]): Promise<string> {
  const out: Buffer[] = [];
  for await (const c of Readable.from(chunks).pipe(utf8ByteStream())) out.push(c as Buffer);
  return Buffer.concat(out).toString('utf8');
}

const e = Buffer.from('é');

describe('utf8ByteStream', () => {
  it('turns CRLF into LF, a CRLF split between chunks included, and keeps a lone CR', async () => {
    expect(await bytesThrough(['a\r', '\nb\r\nc\r', 'd'].map((s) => Buffer.from(s)))).toBe('a\nb\nc\rd');
  });

  it('names the line of the first invalid byte, after a character split between chunks', async () => {
    const first = Buffer.concat([Buffer.from('l1\nl2\nl3 é\n'), e.subarray(0, 1)]);
    const second = Buffer.concat([e.subarray(1), Buffer.from('\nl5\nl6 '), Buffer.from([0xe9]), Buffer.from('\n')]);
    await expect(bytesThrough([first, second])).rejects.toThrow(/^line 6 is not UTF-8 text/);
  });

  it('refuses a file that ends inside a character', async () => {
    await expect(bytesThrough([Buffer.from('ok\n'), e.subarray(0, 1)])).rejects.toThrow(/^line 2 is not UTF-8/);
  });
});

describe('Utf8Text', () => {
  it('is not misled by a genuine U+FFFD before the invalid byte', () => {
    const text = new Utf8Text();
    expect(text.push(Buffer.from('x\n\uFFFD real\nz\n'))).toBe('x\n\uFFFD real\nz\n');
    expect(() => text.push(Buffer.concat([Buffer.from('w\n'), Buffer.from([0xff])]))).toThrow(/^line 5 is not UTF-8/);
  });

  it('says UTF-16 when the file starts with its byte order mark', () => {
    expect(() => new Utf8Text().push(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toThrow('(it is UTF-16)');
  });
});

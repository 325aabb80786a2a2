// Text files read by the import, list and screening paths: UTF-8 or refused, CRLF read as LF.
import { Transform } from 'node:stream';

/** Input that is not UTF-8 text: `line` is where its first invalid byte is (1-based). */
export class NotUtf8Error extends Error {
  constructor(
    readonly line: number,
    hint: string,
  ) {
    super(`line ${line} is not UTF-8 text${hint}: save the file as UTF-8 (CSV UTF-8 in a spreadsheet) and try again`);
    this.name = 'NotUtf8Error';
  }
}

const EMPTY = new Uint8Array(0);

/**
 * Checks that bytes read chunk by chunk are UTF-8 (a Latin-1 "é" was stored as "�" and the row accepted) and
 * counts their lines, so that the first invalid byte is named by its line, whatever chunk it falls in.
 */
class Utf8Check {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** The previous chunk's incomplete last character (the decoder holds it too). */
  private carry: Uint8Array = EMPTY;
  private newlines = 0;
  private first = true;

  /** The text of `bytes` (`end`: no more bytes follow); throws NotUtf8Error. */
  decode(bytes: Uint8Array, end = false): string {
    const first = this.first;
    this.first = false;
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: !end });
    } catch {
      const data = concat(this.carry, bytes);
      const at = firstInvalid(data, end);
      let line = this.newlines + 1;
      for (let i = data.indexOf(10); i !== -1 && i < at; i = data.indexOf(10, i + 1)) line++;
      const utf16 =
        first && data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff));
      throw new NotUtf8Error(line, utf16 ? ' (it is UTF-16)' : ' (Latin-1 or Windows-1252, perhaps)');
    }
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) this.newlines++;
    this.carry = incompleteTail(bytes.length >= 4 ? bytes : concat(this.carry, bytes));
    return text;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The bytes of an incomplete last character (a lead byte and fewer continuation bytes than it announces). */
function incompleteTail(d: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, d.length); back++) {
    const b = d[d.length - back] as number;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? d.slice(d.length - back) : EMPTY;
  }
  return EMPTY;
}

/** Index of the first byte that is not valid UTF-8 (RFC 3629: no overlong forms, surrogates or > U+10FFFF). */
function firstInvalid(d: Uint8Array, end: boolean): number {
  let i = 0;
  while (i < d.length) {
    const b = d[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    if (n === 0) return i;
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      if (i + k >= d.length) return end ? i : d.length; // cut by the chunk's end: the next chunk says
      const c = d[i + k] as number;
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return d.length;
}

/**
 * Decodes UTF-8 chunk by chunk, refusing any invalid byte, with CRLF read as LF (csv-parse miscounts lines on
 * CRLF inside quoted cells, so every later row had the wrong line number). A UTF-8 byte order mark is kept for
 * the CSV parser to drop.
 */
export class Utf8Text {
  private readonly check = new Utf8Check();
  private heldCr = false;

  push(bytes: Uint8Array): string {
    return this.out(this.check.decode(bytes));
  }

  end(): string {
    const tail = this.out(this.check.decode(EMPTY, true));
    return this.heldCr ? `${tail}\r` : tail;
  }

  private out(s: string): string {
    let t = this.heldCr ? `\r${s}` : s;
    this.heldCr = t.endsWith('\r');
    if (this.heldCr) t = t.slice(0, -1);
    return t.replaceAll('\r\n', '\n');
  }
}

/**
 * The bytes of a stream, checked as UTF-8 (a NotUtf8Error fails the stream) and with CRLF turned into LF, passed on
 * as bytes: a CSV parser downstream decodes them once.
 */
export function utf8ByteStream(): Transform {
  const check = new Utf8Check();
  let heldCr = false;
  const lf = (chunk: Buffer): Buffer => {
    const held = heldCr;
    heldCr = chunk.length > 0 && chunk[chunk.length - 1] === 13;
    const body = heldCr ? chunk.subarray(0, -1) : chunk;
    if (body.indexOf(13) === -1) {
      // A CR held from the last chunk is a line end's first half when this one starts with LF.
      return held && body[0] !== 10 ? Buffer.concat([Buffer.from([13]), body]) : body;
    }
    const out = Buffer.allocUnsafe(body.length + 1);
    let n = 0;
    if (held && body[0] !== 10) out[n++] = 13;
    for (let i = 0; i < body.length; i++) {
      const b = body[i] as number;
      if (b === 13 && body[i + 1] === 10) continue;
      out[n++] = b;
    }
    return out.subarray(0, n);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        check.decode(chunk);
        done(null, lf(chunk));
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        check.decode(EMPTY, true);
        done(null, heldCr ? Buffer.from([13]) : EMPTY);
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

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

/**
 * Decodes UTF-8 chunk by chunk, refusing any invalid byte (a Latin-1 "é" was stored as "�" and the row accepted),
 * with CRLF read as LF (csv-parse miscounts lines on CRLF inside quoted cells, so every later row had the wrong
 * line number). A UTF-8 byte order mark is kept for the CSV parser to drop.
 */
export class Utf8Text {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private heldCr = false;
  private newlines = 0;
  private first = true;

  push(bytes: Uint8Array): string {
    return this.out(this.decode(bytes, true));
  }

  end(): string {
    const tail = this.out(this.decode(new Uint8Array(0), false));
    return this.heldCr ? `${tail}\r` : tail;
  }

  private decode(bytes: Uint8Array, stream: boolean): string {
    const first = this.first;
    this.first = false;
    try {
      return this.decoder.decode(bytes, { stream });
    } catch {
      // Where: the newlines before the first byte the lenient decoder could not read either.
      const lenient = Buffer.from(bytes).toString('utf8');
      const bad = lenient.indexOf('\uFFFD');
      let line = this.newlines + 1;
      for (let i = lenient.indexOf('\n'); i !== -1 && (bad === -1 || i < bad); i = lenient.indexOf('\n', i + 1)) line++;
      const utf16 =
        first &&
        bytes.length >= 2 &&
        ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
      throw new NotUtf8Error(line, utf16 ? ' (it is UTF-16)' : ' (Latin-1 or Windows-1252, perhaps)');
    }
  }

  private out(s: string): string {
    let t = this.heldCr ? `\r${s}` : s;
    this.heldCr = t.endsWith('\r');
    if (this.heldCr) t = t.slice(0, -1);
    t = t.replaceAll('\r\n', '\n');
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) this.newlines++;
    return t;
  }
}

/** A byte stream as UTF-8 text with CRLF read as LF; a NotUtf8Error fails the stream. */
export function utf8TextStream(): Transform {
  const text = new Utf8Text();
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, text.push(chunk));
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        done(null, text.end());
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/**
 * The CSV record's text without the blank lines csv-parse skipped before it and its own line end, and the line it
 * starts on, from the line it ends on (`info.lines`): a quoted cell may span lines.
 */
export function recordLines(raw: string, endLine: number): { text: string; line: number } {
  const text = raw.replace(/^(?:[ \t]*\n)+/, '').replace(/\n$/, '');
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return { text, line: endLine - n };
}

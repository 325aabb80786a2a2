import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';

/** A row the import refused: its line in the source file, why, and the row as it was written. */
export interface Reject {
  line: number;
  reason: string;
  raw: string;
}

const HEADER = 'line,reason,raw\n';

/**
 * The rejects file (CSV: line,reason,raw). A batch's rejects are written and synced before the batch commits, so
 * after a crash the file holds at least every reject of the committed lines; resuming drops the lines after them.
 */
export class RejectsFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** A new file (a previous one is replaced: it belonged to another run). */
  static async create(path: string): Promise<RejectsFile> {
    const handle = await open(path, 'w');
    await handle.write(HEADER);
    return new RejectsFile(path, handle);
  }

  /** The file of a run that stopped: rejects after `linesDone` belong to a batch that never committed. */
  static async resume(path: string, linesDone: number): Promise<RejectsFile> {
    const kept = `${path}.resume`;
    const out = createWriteStream(kept);
    out.write(HEADER);
    try {
      const input = createReadStream(path);
      const rows = input.pipe(parse({ columns: true, skip_empty_lines: true }));
      // pipe() does not forward a read error: without this, a rejects file deleted before the resume (ENOENT) was
      // an uncaught error that stopped the process.
      input.on('error', (error) => rows.destroy(error));
      for await (const r of rows as AsyncIterable<Record<string, string>>) {
        const line = Number(r.line);
        if (line > linesDone) continue;
        if (!out.write(rejectLine({ line, reason: r.reason ?? '', raw: r.raw ?? '' }))) await once(out, 'drain');
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    out.end();
    await finished(out);
    await rename(kept, path);
    return new RejectsFile(path, await open(path, 'a'));
  }

  async add(rejects: readonly Reject[]): Promise<void> {
    if (rejects.length === 0) return;
    await this.handle.write(rejects.map(rejectLine).join(''));
    await this.handle.datasync();
  }

  /** Closes the file; one without rejects is removed, so a stale file never suggests failures. */
  async close(keep: boolean): Promise<void> {
    await this.handle.close();
    if (!keep) await rm(this.path, { force: true });
  }
}

function rejectLine(r: Reject): string {
  return `${r.line},${csvCell(r.reason)},${csvCell(r.raw)}\n`;
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { csvCell } from '../csv-cell.js';
import { PRIVATE_FILE } from '../private-file.js';

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
    const handle = await open(path, 'w', PRIVATE_FILE);
    await handle.write(HEADER);
    return new RejectsFile(path, handle);
  }

  /** The file of a run that stopped: rejects after `linesDone` belong to a batch that never committed. */
  static async resume(path: string, linesDone: number): Promise<RejectsFile> {
    const kept = `${path}.resume`;
    const out = createWriteStream(kept, { mode: PRIVATE_FILE });
    out.write(HEADER);
    try {
      const input = createReadStream(path);
      // Each kept reject is copied as it was written (`raw`): written again, a cell made safe for spreadsheets
      // would gain a second apostrophe.
      const rows = input.pipe(parse({ columns: true, skip_empty_lines: true, raw: true }));
      // pipe() does not forward a read error: without this, a rejects file deleted before the resume (ENOENT) was
      // an uncaught error that stopped the process.
      input.on('error', (error) => rows.destroy(error));
      for await (const r of rows as AsyncIterable<{ record: Record<string, string>; raw: string }>) {
        if (Number(r.record.line) > linesDone) continue;
        const text = r.raw.endsWith('\n') ? r.raw : `${r.raw}\n`;
        if (!out.write(text)) await once(out, 'drain');
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

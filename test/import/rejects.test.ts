import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RejectsFile } from '../../src/services/import/rejects.js';

const dir = mkdtempSync(join(tmpdir(), 'assent-rejects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RejectsFile.resume', () => {
  it('keeps the rejects of committed lines and drops the rest', async () => {
    const path = join(dir, 'kept.csv');
    writeFileSync(path, 'line,reason,raw\n3,bad email,x\n9,bad phone,y\n');
    const file = await RejectsFile.resume(path, 5);
    await file.add([{ line: 7, reason: 'again', raw: 'z' }]);
    await file.close(true);
    expect(readFileSync(path, 'utf8')).toBe('line,reason,raw\n3,bad email,x\n7,again,z\n');
  });

  it('copies kept rejects as written: a formula made safe gets no second apostrophe, a cell over lines stays whole', async () => {
    const path = join(dir, 'formula.csv');
    const first = await RejectsFile.create(path);
    await first.add([
      { line: 2, reason: 'bad email', raw: '=HYPERLINK("http://x")' },
      { line: 4, reason: 'two\nlines', raw: '+cmd' },
    ]);
    await first.close(true);
    const written = readFileSync(path, 'utf8');
    expect(written).toBe('line,reason,raw\n2,bad email,"\'=HYPERLINK(""http://x"")"\n4,"two\nlines",\'+cmd\n');
    const resumed = await RejectsFile.resume(path, 5);
    await resumed.close(true);
    expect(readFileSync(path, 'utf8')).toBe(written);
  });

  it('starts a new file when the old one was deleted before the resume', async () => {
    const path = join(dir, 'gone.csv');
    const file = await RejectsFile.resume(path, 5);
    await file.add([{ line: 6, reason: 'late', raw: 'w' }]);
    await file.close(true);
    expect(readFileSync(path, 'utf8')).toBe('line,reason,raw\n6,late,w\n');
  });
});

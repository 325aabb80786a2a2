// bench/screen (issue #6): in one run, BENCH_ROWS (1,000,000) stored contacts with ledger histories in a temp SQLite
// store, a list of as many numbers imported as `bloctel`, and an audience CSV of as many rows; screens it end to end
// with `assent screen --workers auto` (BENCH_WORKERS) in a child process (wall clock, peak RSS through /usr/bin/time),
// then the same data with the DuckDB baseline (bench/screen-duckdb.ts). Optionally profiles a one-thread screening
// (--workers 1 --cpu-prof). Prints figures and
// ratios; asserts nothing. Run: npm run bench:screen
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importList } from '../src/services/lists/import-list.js';
import type { ScreeningSummary } from '../src/services/screening/summary.js';
import { openStore } from '../src/store/open-store.js';
import { duckdbBaseline } from './screen-duckdb.js';
import { topCosts } from './screen-profile.js';
import { storeContacts, writeAudience, writeList } from './screen-workload.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const EVENTS_PER_CONTACT = Number(process.env.BENCH_EVENTS_PER_CONTACT ?? 2);
const CHUNK = process.env.BENCH_CHUNK;
/** `assent screen --workers` for the timed run (auto: the CPUs, at most 8); the profiled run uses 1 (one thread). */
const WORKERS = process.env.BENCH_WORKERS ?? 'auto';
/** BENCH_PROFILE=0 skips the profiled second screening. */
const PROFILE = process.env.BENCH_PROFILE !== '0';
/** BENCH_KEEP=1 keeps the temp folder (database, files, outputs, profile) and prints its path. */
const KEEP = process.env.BENCH_KEEP === '1';
const AT = '2026-03-03T10:30:00+01:00'; // a Tuesday morning in the Bloctel era: FR calls are opt-out, list-bound
const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const rate = (count: number, ms: number): number => (count / ms) * 1000;
const mb = (bytes: number): string => `${fmt(bytes / 1024 / 1024)} MB`;

const dir = mkdtempSync(join(tmpdir(), 'assent-screen-'));
const files = {
  db: join(dir, 'assent.db'),
  contacts: join(dir, 'contacts.csv'),
  events: join(dir, 'events.csv'),
  list: join(dir, 'bloctel.txt'),
  audience: join(dir, 'audience.csv'),
};

interface Screened {
  wallMs: number;
  peakRssMB: number;
  summary: ScreeningSummary;
}

/** `assent screen` in a child under /usr/bin/time (peak RSS in KB on its last stderr line). */
function screen(outDir: string, workers: string, nodeFlags: string[] = []): Screened {
  const args = [
    '-f',
    '%M',
    process.execPath,
    ...nodeFlags,
    bin,
    '--db',
    files.db,
    'screen',
    files.audience,
    '--channel',
    'phone',
    '--at',
    AT,
    '--out-dir',
    outDir,
    ...(CHUNK !== undefined ? ['--chunk', CHUNK] : []),
    '--workers',
    workers,
  ];
  const t0 = performance.now();
  const run = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  if (run.status !== 0) throw new Error(`assent screen exited with ${run.status}: ${run.stderr}`);
  const lines = run.stderr.trim().split('\n');
  const peakRssMB = Number(lines.at(-1)) / 1024;
  const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as ScreeningSummary;
  return { wallMs, peakRssMB, summary };
}

try {
  const w = { rows: ROWS, eventsPerContact: EVENTS_PER_CONTACT };
  console.log(
    `bench/screen — node ${process.version}, ${cpus()[0]?.model.trim()} ×${cpus().length}, ${fmt(ROWS)} stored contacts ` +
      `(${EVENTS_PER_CONTACT} ledger events each), ${fmt(ROWS)}-number list, ${fmt(ROWS)}-row audience; phone at ${AT}`,
  );
  console.log('setup (not timed as screening)');
  const store = await openStore({ databaseUrl: null, sqliteFile: files.db });
  let t = performance.now();
  const events = await storeContacts(store, w, files);
  let ms = performance.now() - t;
  console.log(`  contacts + histories stored     ${fmt(ROWS)} contacts, ${fmt(events)} events in ${fmt(ms)} ms`);
  await writeList(files.list, w);
  t = performance.now();
  const imported = await importList(store, { file: files.list, name: 'bloctel', asOf: '2026-02-20', country: 'FR' });
  ms = performance.now() - t;
  console.log(`  list imported (bloctel)         ${fmt(imported.entries)} numbers in ${fmt(ms)} ms`);
  await store.close();
  await writeAudience(files.audience, w);
  console.log(
    `  audience written                ${fmt(ROWS)} rows, ${mb(statSync(files.audience).size)}; database ${mb(statSync(files.db).size)}`,
  );

  console.log(`assent screen --workers ${WORKERS} (child process, start-up included; ${cpus().length} CPUs)`);
  const a = screen(join(dir, 'assent-out'), WORKERS);
  const s = a.summary;
  const assentRate = rate(s.rows, a.wallMs);
  console.log(
    `  end to end                      ${`${fmt(assentRate)} rows/s`.padStart(14)}  (${fmt(a.wallMs)} ms; in-screening ${fmt(rate(s.rows, s.durationMs))} rows/s)   target ≥ 200,000 rows/s`,
  );
  console.log(`  peak RSS                        ${fmt(a.peakRssMB)} MB   target < 1,024 MB`);
  console.log(
    `  rows ${fmt(s.rows)}: allowed ${fmt(s.allowed)}, excluded ${fmt(s.excluded)} ${JSON.stringify(s.byReason)}`,
  );
  console.log(`  allowed by basis ${JSON.stringify(s.byBasis)}; by list ${JSON.stringify(s.byList)}`);

  console.log('DuckDB baseline (@duckdb/node-api, in process, best of 2)');
  const duck = [];
  for (const threads of [...new Set([1, cpus().length])]) {
    // Best of two fresh instances (the first pays for reading the files into the page cache).
    let d: Awaited<ReturnType<typeof duckdbBaseline>> | undefined;
    for (let run = 0; run < 2; run++) {
      const outDir = join(dir, `duckdb-${threads}-${run}`);
      mkdirSync(outDir);
      const r = await duckdbBaseline({ ...files, outDir }, threads);
      if (d === undefined || r.screenMs < d.screenMs) d = r;
    }
    if (d === undefined) continue;
    duck.push(d);
    console.log(
      `  ${threads} thread(s): screen ${`${fmt(rate(ROWS, d.screenMs))} rows/s`.padStart(14)}  (${fmt(d.screenMs)} ms; ` +
        `load of contacts, events and list ${fmt(d.loadMs)} ms, with it ${fmt(rate(ROWS, d.screenMs + d.loadMs))} rows/s)` +
        `   allowed ${fmt(d.allowed)}, excluded ${fmt(d.excluded)}`,
    );
  }
  for (const d of duck) {
    console.log(
      `  assent / DuckDB ${d.threads} thread(s): ${(d.screenMs / a.wallMs).toFixed(2)}× its speed ` +
        `(DuckDB ${(a.wallMs / d.screenMs).toFixed(1)}× faster; with its load ${(a.wallMs / (d.screenMs + d.loadMs)).toFixed(1)}×)   target: DuckDB ≤ 2× faster`,
    );
  }

  if (PROFILE) {
    const profDir = join(dir, 'profile');
    const p = screen(join(dir, 'assent-profiled'), '1', ['--cpu-prof', '--cpu-prof-dir', profDir]);
    const prof = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (prof !== undefined) {
      const top = topCosts(join(profDir, prof));
      console.log(
        `profile of a second screening on one thread (--workers 1 --cpu-prof): ${fmt(rate(p.summary.rows, p.wallMs))} rows/s ` +
          `with the profiler on (${fmt(p.wallMs)} ms wall, ${fmt(top.total)} ms sampled)`,
      );
      console.log('  by file (self time)');
      for (const c of top.files)
        console.log(`    ${(c.share * 100).toFixed(1).padStart(5)} %  ${fmt(c.ms).padStart(7)} ms  ${c.name}`);
      console.log('  by function (self time)');
      for (const c of top.functions)
        console.log(`    ${(c.share * 100).toFixed(1).padStart(5)} %  ${fmt(c.ms).padStart(7)} ms  ${c.name}`);
    }
  }
} finally {
  if (KEEP) console.log(`kept: ${dir}`);
  else if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}

// bench/ingest: ledger events appended per second through store.appendEvents, beside a raw insert of the same rows
// with the same driver (floor, same run); stored-decision lookups per second beside the in-process decide of the
// same requests; peak RSS of a 1,000,000-event append in a child process (and of `assent import` when it exists).
// Prints figures and ratios; asserts nothing. Run: npm run bench:ingest
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NewLedgerEvent } from '../src/domain/ledger.js';
import { decide } from '../src/policy/decide.js';
import { buildRegistry } from '../src/policy/packs/index.js';
import { decideStored, historyFromLedger } from '../src/services/stored-decisions.js';
import { type Engine, type Opened, postgresEngine, type Row, sqliteEngine } from './ingest-engines.js';
import { batches, ledgerEvents, rng } from './ingest-workload.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 5_000);
const RSS_EVENTS = Number(process.env.BENCH_RSS_EVENTS ?? 1_000_000);
/** Which parts run: sqlite, postgres, import (all by default), e.g. BENCH_PARTS=import. */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'sqlite,postgres,import').split(','));
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const child = fileURLToPath(new URL('./ingest-child.js', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const packs = buildRegistry();

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const rate = (count: number, ms: number): number => (count / ms) * 1000;
const pct = (a: number, b: number): string => `${((a / b) * 100).toFixed(0)} %`;

/** Appends the batches through the store of a fresh database; best of RUNS, floor runs interleaved. */
async function ingest(
  engine: Engine,
  label: string,
  work: readonly NewLedgerEvent[][],
  options?: { hashInWorker?: boolean },
): Promise<Opened> {
  let storeMs = Number.POSITIVE_INFINITY;
  let floorMs = Number.POSITIVE_INFINITY;
  let kept: Opened | undefined;
  for (let run = 0; run < RUNS; run++) {
    const opened = await engine.fresh(options);
    const t0 = performance.now();
    for (const b of work) await opened.store.appendEvents(b);
    storeMs = Math.min(storeMs, performance.now() - t0);
    // The floor re-inserts exactly the rows the store wrote (hashes included), in the same batches.
    const rows = await opened.rows();
    if (rows.length !== EVENTS) throw new Error(`the store wrote ${rows.length} events of ${EVENTS}`);
    const rowBatches: Row[][] = [];
    for (let i = 0; i < rows.length; i += BATCH) rowBatches.push(rows.slice(i, i + BATCH));
    floorMs = Math.min(floorMs, await engine.floor(rowBatches));
    if (kept) await kept.drop();
    kept = opened;
  }
  const s = rate(EVENTS, storeMs);
  const f = rate(EVENTS, floorMs);
  const target = engine.name === 'sqlite' ? 'target ≥ 100,000/s and ≥ 50 % of floor' : 'target ≥ 50 % of floor';
  console.log(`  ${label.padEnd(30)} ${`${fmt(s)}/s`.padStart(10)}  (${fmt(storeMs)} ms)   ${target}`);
  console.log(
    `  ${'floor: raw insert, same rows'.padEnd(30)} ${`${fmt(f)}/s`.padStart(10)}  (${fmt(floorMs)} ms)   store = ${pct(s, f)} of floor`,
  );
  return kept as Opened;
}

/** decideStored by email for random stored contacts, beside decide of the same requests with history inline. */
async function lookups(engine: Engine, opened: Opened): Promise<void> {
  const r = rng(99);
  const picks = Array.from({ length: LOOKUPS }, () => engine.contacts[Math.floor(r() * engine.contacts.length)]!);
  const channels = ['email', 'sms', 'phone'] as const;
  const stored = picks.map((c, i) => ({
    id: `q-${i}`,
    at: '2026-03-02T10:00:00Z',
    message: { channel: channels[i % channels.length], purpose: 'marketing' },
    contact: { email: c.email },
  }));
  // The reference requests carry what decideStored reads from the store, fetched before the clock starts.
  const inline: Record<string, unknown>[] = [];
  let events = 0;
  for (const [i, c] of picks.entries()) {
    const contact = (await opened.store.findContact({ id: c.id }))!;
    const history = historyFromLedger(await opened.store.historyOf(c.id));
    events += history.length;
    const { contact: _, ...rest } = stored[i]!;
    inline.push({
      ...rest,
      jurisdiction: contact.jurisdiction,
      contact: {
        type: contact.type,
        ...(contact.address ? { address: contact.address } : {}),
        ...(contact.timeZone ? { timeZone: contact.timeZone } : {}),
        ...(contact.region ? { region: contact.region } : {}),
      },
      history,
    });
  }
  const now = () => new Date();
  let same = 0;
  const answers = await Promise.all(stored.slice(0, 200).map((q) => decideStored(q, opened.store, packs, now)));
  for (const [i, a] of answers.entries()) if (JSON.stringify(a) === JSON.stringify(decide(inline[i], packs))) same++;
  let storedMs = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    for (const q of stored) await decideStored(q, opened.store, packs, now);
    storedMs = Math.min(storedMs, performance.now() - t0);
  }
  let parallelMs = Number.POSITIVE_INFINITY;
  if (engine.name === 'postgres') {
    for (let pass = 0; pass < 3; pass++) {
      const t0 = performance.now();
      for (let i = 0; i < stored.length; i += 8) {
        await Promise.all(stored.slice(i, i + 8).map((q) => decideStored(q, opened.store, packs, now)));
      }
      parallelMs = Math.min(parallelMs, performance.now() - t0);
    }
  }
  let inlineMs = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 5; pass++) {
    const t0 = performance.now();
    for (const q of inline) decide(q, packs);
    inlineMs = Math.min(inlineMs, performance.now() - t0);
  }
  console.log(
    `\n  stored-decision lookups, ${fmt(LOOKUPS)} random contacts by email (${(events / LOOKUPS).toFixed(1)} events of history on average; same answers as inline: ${same}/${answers.length})`,
  );
  console.log(`  ${'decideStored, one at a time'.padEnd(30)} ${`${fmt(rate(LOOKUPS, storedMs))}/s`.padStart(10)}`);
  if (engine.name === 'postgres') {
    console.log(`  ${'decideStored, 8 in flight'.padEnd(30)} ${`${fmt(rate(LOOKUPS, parallelMs))}/s`.padStart(10)}`);
  }
  console.log(
    `  ${'reference: decide, inline'.padEnd(30)} ${`${fmt(rate(LOOKUPS, inlineMs))}/s`.padStart(10)}   decideStored = ${pct(inlineMs, storedMs)} of it`,
  );
}

/** Runs `cmd` and resolves with its exit code, stdout and stderr. */
function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    p.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err, ms: performance.now() - t0 }));
  });
}

async function peakRss(engine: Engine): Promise<void> {
  const { target, drop } = await engine.empty();
  try {
    const r = await run(process.execPath, [child, target, String(RSS_EVENTS), String(CONTACTS), String(BATCH)]);
    if (r.code !== 0) throw new Error(`ingest child failed (${r.code}): ${r.err}`);
    const o = JSON.parse(r.out) as { events: number; ms: number; rssAfterContactsMB: number; maxRssMB: number };
    console.log(
      `\n  ${fmt(o.events)} events in batches of ${fmt(BATCH)} from a generator, child process: peak RSS ${o.maxRssMB} MB (${o.rssAfterContactsMB} MB before the first append)   target ≤ 500 MB   (${fmt(rate(o.events, o.ms))}/s)`,
    );
  } finally {
    await drop();
  }
}

/** `assent import` on a generated NDJSON file of RSS_EVENTS events, when the command exists. */
async function importRss(): Promise<void> {
  const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  if (!/^\s+import\b/m.test(help.stdout ?? '')) {
    console.log('\nassent import: no such command in this build; not measured');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'assent-import-'));
  try {
    const file = join(dir, 'contacts.ndjson');
    const out = createWriteStream(file);
    const perRow = 10;
    const r = rng(5);
    for (let i = 0; i < RSS_EVENTS / perRow; i++) {
      const events = [];
      for (let k = 0; k < perRow; k++) {
        const at = new Date(Date.UTC(2023, 0, 1) + Math.floor(r() * 1000) * 86_400_000).toISOString();
        const roll = r();
        events.push(
          roll < 0.45
            ? { type: 'consent.given', at, channel: 'email', method: 'checkbox' }
            : roll < 0.6
              ? { type: 'objection', at, channel: 'sms' }
              : { type: 'purchase', at, category: 'shoes' },
        );
      }
      const line = `${JSON.stringify({ externalId: `crm-${i}`, email: `person.${i}@example${i % 50}.fr`, events })}\n`;
      if (!out.write(line)) await new Promise<void>((ok) => out.once('drain', () => ok()));
    }
    await new Promise<void>((ok) => out.end(() => ok()));
    const res = await run('/usr/bin/time', [
      '-f',
      '%M',
      process.execPath,
      bin,
      '--db',
      join(dir, 'assent.db'),
      'import',
      file,
      '--jurisdiction',
      'FR',
    ]);
    const kb = Number(res.err.trim().split('\n').at(-1));
    const summary = /imported .*?: (\d+) accepted, (\d+) rejected/.exec(res.err);
    if (res.code !== 0 || !Number.isFinite(kb) || summary?.[2] !== '0') {
      console.log(`\nassent import: exit ${res.code}: ${res.err.trim().split('\n').slice(-3).join(' | ')}`);
      return;
    }
    console.log(
      `\nassent import, ${fmt(RSS_EVENTS / perRow)} NDJSON rows (${fmt(RSS_EVENTS)} events), SQLite: peak RSS ${Math.round(kb / 1024)} MB   target ≤ 500 MB   (${fmt(res.ms)} ms, ${fmt(rate(RSS_EVENTS, res.ms))} events/s)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `bench/ingest — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, ${fmt(EVENTS)} events in batches of ${fmt(BATCH)} over ${fmt(CONTACTS)} contacts (best of ${RUNS})`,
);

for (const name of ['sqlite', 'postgres'] as const) {
  if (!PARTS.has(name)) continue;
  let engine: Engine;
  if (name === 'sqlite') engine = await sqliteEngine(CONTACTS);
  else {
    try {
      engine = await postgresEngine(PG_URL, CONTACTS);
    } catch (error) {
      console.log(`\nPostgreSQL: SKIPPED — ${PG_URL} is unreachable (${(error as Error).message})`);
      continue;
    }
  }
  try {
    console.log(
      `\n${name === 'sqlite' ? 'SQLite (temp file, WAL, as openStore opens it)' : `PostgreSQL (${PG_URL}, own schema)`}`,
    );
    const contactIds = engine.contacts.map((c) => c.id);
    const grouped = [...batches(ledgerEvents(EVENTS, { contacts: contactIds, order: 'grouped' }), BATCH)];
    await (await ingest(engine, 'appendEvents, import order', grouped)).drop();
    if (name === 'sqlite') {
      // For comparison: the same without the worker thread that hashes the next chunk while SQLite writes.
      await (await ingest(engine, '  … hashed in-thread', grouped, { hashInWorker: false })).drop();
    }
    const keyed = [
      ...batches(ledgerEvents(EVENTS, { contacts: contactIds, keys: 'import:bench', order: 'grouped' }), BATCH),
    ];
    await (await ingest(engine, '  … with idempotency keys', keyed)).drop();
    const plain = [...batches(ledgerEvents(EVENTS, { contacts: contactIds }), BATCH)];
    const opened = await ingest(engine, 'appendEvents, random contacts', plain);
    await lookups(engine, opened);
    await opened.drop();
    await peakRss(engine);
  } finally {
    await engine.dispose();
  }
}
if (PARTS.has('import')) await importRss();

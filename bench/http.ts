// bench/http: the HTTP API under load on loopback (autocannon in this process, the server in a child process):
// stored-decision requests/s and p99 latency beside a bare Fastify route returning a constant (the floor, same
// machine, same load), and the batch endpoint's decisions/s. Prints figures and ratios; asserts nothing.
// Run: npm run bench:http
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openStore } from '../src/store/open-store.js';
import { batches, ledgerEvents, rng } from './ingest-workload.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 10_000);
const EVENTS_PER_CONTACT = Number(process.env.BENCH_EVENTS_PER_CONTACT ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const BATCH = Number(process.env.BENCH_BATCH ?? 10_000);
/** `assent serve --workers N` for a second single-request run, beside a floor of N bare processes (1: skipped). */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
// BENCH_PROFILE_DIR=dir: the server runs under --cpu-prof and writes its profile there when the bench stops it.
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const floorScript = fileURLToPath(new URL('./http-floor.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assent-http-'));
const children: ChildProcess[] = [];
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * Starts a child and resolves with the first URL it prints. Its output goes to a file, as a server's log would: read
 * through a pipe by this process, every log line would cost the load generator's CPU and slow the server down when
 * the pipe fills.
 */
async function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const log = join(dir, `child-${children.length}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
  closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  for (;;) {
    const m = /(http:\/\/[\d.]+:\d+)/.exec(readFileSync(log, 'utf8'));
    if (m?.[1]) return { child, url: m[1] };
    if (exited !== undefined) throw new Error(`${args.join(' ')} exited with ${exited} before listening`);
    await delay(50);
  }
}

async function load(o: autocannon.Options): Promise<autocannon.Result> {
  const result = await autocannon({ duration: SECONDS, connections: CONNECTIONS, ...o });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${o.url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return result;
}

/** Requests per second over the whole run (autocannon's `duration` is in seconds). */
const rps = (r: autocannon.Result): number => r.requests.total / r.duration;

const line = (label: string, r: autocannon.Result, extra = ''): void =>
  console.log(
    `  ${label.padEnd(44)} ${`${fmt(rps(r))} req/s`.padStart(14)}   p99 ${`${r.latency.p99} ms`.padStart(7)}${extra}`,
  );

const db = join(dir, 'assent.db');
try {
  // The stored contacts: CONTACTS contacts with EVENTS_PER_CONTACT ledger events each, in import order.
  const store = await openStore({ databaseUrl: null, sqliteFile: db });
  const made = await store.createContacts(
    Array.from({ length: CONTACTS }, (_, i) => ({
      type: i % 5 === 0 ? ('professional' as const) : ('individual' as const),
      jurisdiction: i % 4 === 0 ? 'DE' : 'FR',
      identifiers: [{ kind: 'email' as const, value: `person.${i}@example${i % 50}.fr` }],
    })),
  );
  const ids = made.map((c) => c.id);
  const emails = made.map((c) => c.identifiers[0]?.value as string);
  for (const b of batches(ledgerEvents(CONTACTS * EVENTS_PER_CONTACT, { contacts: ids, order: 'grouped' }), 5_000)) {
    await store.appendEvents(b);
  }
  await store.close();
  const created = spawnSync(
    process.execPath,
    [bin, '--db', db, 'keys', 'create', '--name', 'bench', '--scope', 'decide'],
    {
      encoding: 'utf8',
    },
  );
  const key = /\b(ak_[A-Za-z0-9_-]+)/.exec(created.stdout + created.stderr)?.[1];
  if (created.status !== 0 || key === undefined) throw new Error(`assent keys create failed: ${created.stderr}`);

  const floor = await start([floorScript]);
  children.push(floor.child);
  const profile = PROFILE_DIR === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR];
  const serverEnv = { ASSENT_RATE_LIMIT: String(Number.MAX_SAFE_INTEGER) }; // one client hammering: no limit applies
  const server = await start([...profile, bin, '--db', db, 'serve', '--port', '0'], serverEnv);
  children.push(server.child);
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

  console.log(
    `bench/http — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}; autocannon, ${CONNECTIONS} connections, ${SECONDS} s per run; ` +
      `${fmt(CONTACTS)} stored contacts with ${EVENTS_PER_CONTACT} events each (SQLite); server logs at its default level`,
  );
  const r = rng(3);
  const channels = ['email', 'sms', 'phone', 'postal'];
  const body = (i: number): string =>
    JSON.stringify({
      id: `q-${i}`,
      at: '2026-03-02T10:00:00Z',
      contact: { email: emails[Math.floor(r() * emails.length)] },
      message: { channel: channels[i % channels.length], purpose: 'marketing' },
    });
  const bodies = Array.from({ length: 4096 }, (_, i) => body(i));
  let n = 0;
  /** Warms both up, then loads the floor's constant route and single stored decisions, one after the other. */
  const floorAndSingles = async (floorUrl: string, serverUrl: string) => {
    await load({ url: `${floorUrl}/constant`, duration: 2 });
    await load({ url: `${serverUrl}/v1/decisions`, method: 'POST', headers, body: bodies[0], duration: 2 });
    const bare = await load({ url: `${floorUrl}/constant`, method: 'POST', headers, body: bodies[0] });
    const single = await load({
      url: `${serverUrl}/v1/decisions`,
      method: 'POST',
      headers,
      requests: [{ setupRequest: (req) => ({ ...req, body: bodies[n++ % bodies.length] }) }],
    });
    return { bare, single };
  };
  const pct = (a: autocannon.Result, b: autocannon.Result): string => ((rps(a) / rps(b)) * 100).toFixed(0);

  const { bare, single } = await floorAndSingles(floor.url, server.url);
  line('floor: bare Fastify, constant answer (POST)', bare);
  line('POST /v1/decisions, one stored contact', single, `   = ${pct(single, bare)} % of floor   target ≥ 50 %`);

  // The same with `assent serve --workers N` (node:cluster), against both floors.
  let serverN: { url: string } | undefined;
  if (WORKERS > 1) {
    const floorN = await start([floorScript], { FLOOR_WORKERS: String(WORKERS) });
    children.push(floorN.child);
    const started = await start([bin, '--db', db, 'serve', '--port', '0', '--workers', String(WORKERS)], serverEnv);
    children.push(started.child);
    serverN = started;
    const many = await floorAndSingles(floorN.url, serverN.url);
    line(`floor: ${WORKERS} bare Fastify processes (POST)`, many.bare);
    line(
      `… with --workers ${WORKERS}`,
      many.single,
      `   = ${pct(many.single, bare)} % of the one-process floor, ${pct(many.single, many.bare)} % of the ${WORKERS}-process floor`,
    );
  }

  // BENCH_BATCH=0: single requests only (with BENCH_PROFILE_DIR, a profile of them alone).
  if (BATCH > 0) {
    const batchBody = `[${Array.from({ length: BATCH }, (_, i) => body(i)).join(',')}]`;
    const batches = async (url: string, label: string, connections: number): Promise<void> => {
      const batch = await load({
        url: `${url}/v1/decisions`,
        method: 'POST',
        headers,
        body: batchBody,
        connections,
        timeout: 60,
      });
      line(
        label,
        batch,
        `   = ${fmt(rps(batch) * BATCH)} decisions/s   target ≥ 200,000 decisions/s   (${fmt(batchBody.length / 1024)} KiB per request)`,
      );
    };
    await batches(server.url, `POST /v1/decisions, batches of ${fmt(BATCH)}`, 2);
    // Each process of the cluster decides its own batches: two connections per process.
    if (serverN) await batches(serverN.url, `… with --workers ${WORKERS}`, 2 * WORKERS);
  }
} finally {
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

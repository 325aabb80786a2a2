// The canonical JSON and SHA-256 chain of ledger events, a chunk at a time: on the appending thread, or on a worker
// thread while the appending thread inserts the previous chunk.
//
// better-sqlite3 is synchronous: hashing and inserting on one thread add up (bench/ingest profiled the chain,
// canonical JSON and their garbage at about half an append's time). A worker hashes chunk k+1 while SQLite writes
// chunk k. The worker runs the same `hashChunk` as the in-thread path, so both give the same bytes; the chain stays
// in order because the worker takes chunks in the order they were posted.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { canonicalJson, chainHash, type Evidence, sha256 } from '../domain/ledger.js';

/** An event with its place in the ledger fixed (seq, id, recordedAt), not yet hashed. */
export interface HashInput {
  seq: number;
  id: string;
  contactId: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
  evidence: Evidence | null;
  recordedAt: string;
  recordedBy: string;
  idempotencyKey: string | null;
}

/** One chunk for the worker: `prevHash` starts a chain; null continues from the worker's last hash. */
export interface HashRequest {
  prevHash: string | null;
  events: HashInput[];
}

/** Per event of a chunk, in order: canonical data and evidence (what is stored), evidence hash, chain hash. */
export type HashedChunk =
  | { ok: true; data: string[]; evidence: (string | null)[]; evidenceHash: (string | null)[]; hash: string[] }
  | { ok: false; message: string };

/** A hashed chunk of `n` events, to fill. */
function emptyChunk(n: number): HashedChunk & { ok: true } {
  return {
    ok: true,
    data: new Array<string>(n),
    evidence: new Array<string | null>(n),
    evidenceHash: new Array<string | null>(n),
    hash: new Array<string>(n),
  };
}

/** Hashes a chunk whose first event follows `prevHash`. */
export function hashChunk(events: readonly HashInput[], prevHash: string): HashedChunk & { ok: true } {
  const n = events.length;
  const out = emptyChunk(n);
  let prev = prevHash;
  for (let i = 0; i < n; i++) {
    const e = events[i] as HashInput;
    const data = canonicalJson(e.data);
    const evidence = e.evidence === null ? null : canonicalJson(e.evidence);
    const evidenceHash = evidence === null ? null : sha256(evidence);
    prev = chainHash(
      {
        seq: e.seq,
        id: e.id,
        contactId: e.contactId,
        type: e.type as never,
        at: e.at,
        evidenceHash,
        recordedAt: e.recordedAt,
        recordedBy: e.recordedBy,
        idempotencyKey: e.idempotencyKey,
        prevHash: prev,
      },
      data,
    );
    out.data[i] = data;
    out.evidence[i] = evidence;
    out.evidenceHash[i] = evidenceHash;
    out.hash[i] = prev;
  }
  return out;
}

// The worker answers with one string, not the HashedChunk object: deserialising 4 × 200 strings of a structured
// clone cost the appending thread ~0.3 ms per chunk, more than splitting one string (bench/ingest). The string is
// every event's chain hash and evidence hash (64 hex digits each, zeros without evidence), then SEP and each
// event's data and evidence texts (evidence empty when there is none: canonical JSON of an object never is), each
// after SEP. JSON text never holds a raw U+0001 (JSON.stringify escapes control characters).
const SEP = '\u0001';
const NO_EVIDENCE = '0'.repeat(64);

/** A hashed chunk as the worker posts it. */
export function packHashed(chunk: HashedChunk & { ok: true }): string {
  let hashes = '';
  let texts = '';
  for (let i = 0; i < chunk.hash.length; i++) {
    hashes += (chunk.hash[i] as string) + (chunk.evidenceHash[i] ?? NO_EVIDENCE);
    texts += `${SEP}${chunk.data[i]}${SEP}${chunk.evidence[i] ?? ''}`;
  }
  return hashes + texts;
}

/** The HashedChunk of a string packHashed wrote. */
export function unpackHashed(text: string): HashedChunk & { ok: true } {
  const parts = text.split(SEP);
  const n = (parts.length - 1) / 2;
  const hashes = parts[0] as string;
  if (!Number.isInteger(n) || hashes.length !== n * 128)
    throw new Error('the ledger hashing worker answered garbled text');
  const out = emptyChunk(n);
  for (let i = 0; i < n; i++) {
    const evidence = parts[2 * i + 2] as string;
    out.data[i] = parts[2 * i + 1] as string;
    out.evidence[i] = evidence === '' ? null : evidence;
    out.hash[i] = hashes.slice(128 * i, 128 * i + 64);
    out.evidenceHash[i] = evidence === '' ? null : hashes.slice(128 * i + 64, 128 * i + 128);
  }
  return out;
}

/**
 * The worker script: next to this module in the build; when the store runs from its TypeScript sources (vitest),
 * the build's copy (`npm test` builds first). None found: everything is hashed in-thread.
 */
function workerScript(): URL | null {
  const here = import.meta.url;
  const url = here.endsWith('.ts')
    ? new URL('../../dist/src/store/ledger-hasher-worker.js', here)
    : new URL('./ledger-hasher-worker.js', here);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** A worker thread that hashes chunks for one store; started on first use, stopped with the store. */
export class LedgerHasher {
  private worker: Worker | null | undefined; // undefined: not started yet; null: unavailable (in-thread)
  private readonly waiting: { resolve: (c: HashedChunk) => void; reject: (e: unknown) => void }[] = [];

  /** Whether chunks go to a worker (false once it failed or if its script is missing). */
  get available(): boolean {
    return this.start() !== null;
  }

  /**
   * Posts every chunk at once (the first follows `prevHash`) and returns their results in order, or null when they
   * must be hashed in-thread: no worker, or an event that cannot be copied to one (nothing is then expected back).
   */
  hashChunks(chunks: readonly HashInput[][], prevHash: string): Promise<HashedChunk>[] | null {
    const worker = this.start();
    if (worker === null) return null;
    const results: Promise<HashedChunk>[] = [];
    for (let k = 0; k < chunks.length; k++) {
      const result = new Promise<HashedChunk>((resolve, reject) => this.waiting.push({ resolve, reject }));
      result.catch(() => {}); // awaited by the caller, unless it falls back: never an unhandled rejection
      try {
        // As JSON text: copying one string costs the appending thread half what a structured clone of the events
        // does. Data and evidence are JSON by contract (a value JSON has no text for, such as a Date, is stored as
        // JSON.stringify writes it, and hashed as stored, so `ledger verify` holds either way).
        worker.postMessage(
          JSON.stringify({
            prevHash: k === 0 ? prevHash : null,
            events: chunks[k] as HashInput[],
          } satisfies HashRequest),
        );
      } catch {
        // Not JSON (a BigInt, a cycle): the chunks already posted are answered and ignored.
        this.waiting.pop();
        return null;
      }
      results.push(result);
    }
    return results;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker | null {
    if (this.worker !== undefined) return this.worker;
    const script = workerScript();
    if (script === null) {
      this.worker = null;
      return null;
    }
    const worker = new Worker(script);
    worker.unref(); // an idle hasher never keeps the process alive
    worker.on('message', (answer: string | HashedChunk) => {
      const w = this.waiting.shift();
      try {
        w?.resolve(typeof answer === 'string' ? unpackHashed(answer) : answer);
      } catch (error) {
        w?.reject(error);
      }
    });
    const fail = (error: unknown) => {
      if (this.worker === worker) this.worker = null; // later batches hash in-thread
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the ledger hashing worker stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }
}

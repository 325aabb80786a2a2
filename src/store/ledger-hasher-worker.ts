// The worker side of LedgerHasher (src/store/ledger-hasher.ts): chunks hashed in the order they arrive, each chain
// continuing from the last hash unless the chunk starts a new one.
import { parentPort } from 'node:worker_threads';
import { type HashRequest, hashChunk, packHashed } from './ledger-hasher.js';

let prev = '';
parentPort?.on('message', (text: string) => {
  try {
    const request = JSON.parse(text) as HashRequest;
    if (request.prevHash !== null) prev = request.prevHash;
    const hashed = hashChunk(request.events, prev);
    prev = hashed.hash[hashed.hash.length - 1] ?? prev;
    parentPort?.postMessage(packHashed(hashed));
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});

/**
 * Lets the event loop turn once. SQLite (better-sqlite3) answers in microtasks only, so long work over the store —
 * a screening, a batch of 10,000 decisions — would otherwise hold a server (its other requests, /healthz) until done.
 */
export function turn(): Promise<void> {
  return new Promise((resume) => setImmediate(resume));
}

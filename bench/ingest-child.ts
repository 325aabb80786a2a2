// Child process of bench/ingest: appends `events` generated events through the store in batches, never holding
// them all, and prints one JSON line with its peak RSS. Usage: node ingest-child.js <sqlite file|postgres://…>
// <events> <contacts> <batch>
import { openStore } from '../src/store/open-store.js';
import { batches, createContacts, ledgerEvents } from './ingest-workload.js';

const [target = '', events = '1000000', contactCount = '10000', batch = '1000'] = process.argv.slice(2);
const pgUrl = /^postgres(ql)?:\/\//.test(target);
const store = await openStore({ databaseUrl: pgUrl ? target : null, sqliteFile: target });
const contacts = await createContacts(store, Number(contactCount), pgUrl ? 8 : 1);
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
let appended = 0;
for (const b of batches(
  ledgerEvents(Number(events), { contacts: contacts.map((c) => c.id), seed: 11 }),
  Number(batch),
)) {
  appended += (await store.appendEvents(b)).length;
}
const ms = performance.now() - t0;
await store.close();
const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
process.stdout.write(
  `${JSON.stringify({
    events: appended,
    ms: Math.round(ms),
    rssAfterContactsMB: mb(rssBefore),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), // maxRSS is in kilobytes
  })}\n`,
);

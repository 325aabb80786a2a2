// Child process of memory.test.ts: screens an audience file with the built modules and prints its peak RSS.
// argv: <dist folder> <db file> <audience.csv> <out dir>
const [dist, db, file, outDir] = process.argv.slice(2);
const { openStore } = await import(`${dist}/src/store/open-store.js`);
const { buildRegistry } = await import(`${dist}/src/policy/packs/index.js`);
const { openListsScreen } = await import(`${dist}/src/services/lists/lookup.js`);
const { screenFile } = await import(`${dist}/src/services/screening/screen-file.js`);
const store = await openStore({ databaseUrl: null, sqliteFile: db });
const at = new Date('2026-03-03T10:00:00Z');
const started = performance.now();
const summary = await screenFile(
  { file, outDir, channel: 'email', purpose: 'offers', at, jurisdiction: 'FR', dryRun: false },
  { store, packs: buildRegistry(), lists: await openListsScreen(store, at) },
);
const ms = performance.now() - started;
await store.close();
process.stdout.write(
  JSON.stringify({
    rows: summary.rows,
    allowed: summary.allowed,
    excluded: summary.excluded,
    byReason: summary.byReason,
    ms: Math.round(ms),
    rowsPerSecond: Math.round((summary.rows * 1000) / ms),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

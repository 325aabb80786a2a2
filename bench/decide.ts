// bench/decide: decisions per second in process, and the CLI's NDJSON throughput, each beside a floor measured
// in the same run. Prints figures and ratios; asserts nothing. Run: npm run bench:decide
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerJson } from '../src/adapters/answer-json.js';
import { parseDecisionRequest } from '../src/domain/parse-request.js';
import { decide } from '../src/policy/decide.js';
import { evaluate } from '../src/policy/evaluate.js';
import { buildRegistry } from '../src/policy/packs/index.js';
import { ALL_JURISDICTIONS, requests } from './workload.js';

const LINES = Number(process.env.BENCH_LINES ?? 100_000);
const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const packs = buildRegistry();

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

/** Best of `rounds` timed passes of `fn` over `items` (the first passes warm the JIT up). */
function best<T>(items: readonly T[], fn: (x: T) => unknown, rounds = 5): number {
  let bestMs = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const x of items) if (fn(x) !== undefined) sink++;
    bestMs = Math.min(bestMs, performance.now() - t0);
  }
  if (sink < 0) console.log(sink);
  return bestMs;
}

function pipeThrough(args: string[], input: string): Promise<{ ms: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let lines = 0;
    child.stdout.on('data', (b: Buffer) => {
      for (let i = 0; i < b.length; i++) if (b[i] === 10) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve({ ms: performance.now() - t0, lines }) : reject(new Error(`exit ${code}`)),
    );
    child.stdin.end(input);
  });
}

const objects = requests(LINES);
const lines = objects.map((o) => JSON.stringify(o));
const input = `${lines.join('\n')}\n`;
const avgEvents = objects.reduce((n, r) => n + (r as { history: unknown[] }).history.length, 0) / LINES;

console.log(
  `bench/decide — node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}, ${LINES.toLocaleString('en-US')} requests, ${avgEvents.toFixed(1)} history events on average`,
);

// In process, one core. Requests stream through (nothing decided is kept), as in the CLI or a server;
// the validated-request pass keeps 100,000 parsed requests alive, so it is measured last.
const tDecide = best(objects, (o) => decide(o, packs));
const tFloor = best(lines, (l) => JSON.stringify(JSON.parse(l)));
const tFull = best(lines, (l) => answerJson(decide(JSON.parse(l), packs)));
const everyPack = requests(LINES, 42, ALL_JURISDICTIONS);
const tEveryPack = best(everyPack, (o) => decide(o, packs));
const parsed = objects.map((o) => parseDecisionRequest(o));
const tEval = best(parsed, (r) => evaluate(r, packs));
console.log('\nin process (best of 5 passes)');
console.log(`  evaluate (validated request)          ${rate(LINES, tEval)}`);
console.log(`  decide (validate + evaluate)          ${rate(LINES, tDecide)}   target ≥ 300,000/s`);
console.log(
  `  decide, the ten packs evenly          ${rate(LINES, tEveryPack)}   (the line above: FR ×3, DE, AT, CH; same mix otherwise)`,
);
console.log(`  parse + decide + stringify per line   ${rate(LINES, tFull)}`);
console.log(
  `  floor: parse + stringify per line     ${rate(LINES, tFloor)}   ratio ${((tFloor / tFull) * 100).toFixed(0)} %`,
);

// The CLI, as a child process fed by a pipe, beside a bare NDJSON pipe through the same kind of process.
const file = join(tmpdir(), `assent-bench-${process.pid}.ndjson`);
writeFileSync(file, input);
const floorScript = `
let rest='';process.stdin.setEncoding('utf8');
process.stdin.on('data',c=>{const t=rest+c;const p=t.split('\\n');rest=p.pop();const o=[];for(const l of p)if(l)o.push(JSON.stringify(JSON.parse(l)));if(o.length)process.stdout.write(o.join('\\n')+'\\n');});
process.stdin.on('end',()=>{if(rest)process.stdout.write(JSON.stringify(JSON.parse(rest))+'\\n');});`;
const runs = 3;
let cli = Number.POSITIVE_INFINITY;
let pipe = Number.POSITIVE_INFINITY;
for (let i = 0; i < runs; i++) {
  const c = await pipeThrough([bin, 'decide'], input);
  if (c.lines !== LINES) throw new Error(`the CLI answered ${c.lines} lines of ${LINES}`);
  cli = Math.min(cli, c.ms);
  pipe = Math.min(pipe, (await pipeThrough(['-e', floorScript], input)).ms);
}
console.log(`\nCLI over a pipe, ${LINES.toLocaleString('en-US')} lines (best of ${runs}, process start-up included)`);
console.log(`  ./bin/assent decide                   ${rate(LINES, cli)}  (${cli.toFixed(0)} ms)`);
console.log(
  `  floor: bare NDJSON parse+stringify    ${rate(LINES, pipe)}  (${pipe.toFixed(0)} ms)   CLI = ${((pipe / cli) * 100).toFixed(0)} % of floor   target ≥ 40 %`,
);
console.log(
  `  floor in process (above)              ${rate(LINES, tFloor)}   CLI = ${((tFloor / cli) * 100).toFixed(0)} % of it`,
);

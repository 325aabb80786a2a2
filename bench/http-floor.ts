// The floor of bench/http: a bare Fastify server whose one route returns a constant, no logger, no plugins.
// Prints its URL on stdout, then serves until killed. FLOOR_WORKERS=n: n such processes sharing the port
// (node:cluster), the floor for `assent serve --workers n`.
import cluster from 'node:cluster';
import Fastify from 'fastify';

const workers = Number(process.env.FLOOR_WORKERS ?? 1);
if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let shown = false;
  cluster.on('listening', (_worker, address) => {
    if (!shown) process.stdout.write(`http://127.0.0.1:${address.port}\n`);
    shown = true;
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    process.exit(0);
  });
} else {
  const app = Fastify({ logger: false });
  const answer = { decision: 'allow' };
  app.get('/constant', async () => answer);
  app.post('/constant', async () => answer);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  if (!cluster.isWorker) process.stdout.write(`${url}\n`);
}

// The floor of bench/http: a bare Fastify server whose one route returns a constant, no logger, no plugins.
// Prints its URL on stdout, then serves until killed.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const answer = { decision: 'allow' };
app.get('/constant', async () => answer);
app.post('/constant', async () => answer);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${url}\n`);

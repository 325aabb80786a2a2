// Prometheus metrics: requests by route and status, their durations, decisions by outcome.
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AggregatorRegistry, Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { DecisionOrError } from '../../policy/decide.js';
import { errorResponses } from './schemas/common.js';

export interface Metrics {
  registry: Registry;
  /** Counts answers: allow, deny, or error (a request refused as invalid or naming an unknown contact). */
  countDecisions(answers: readonly DecisionOrError[]): void;
}

/** A registry per app (tests build many apps in one process; the global registry would refuse duplicates). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'assent_' });
  const decisions = new Counter({
    name: 'assent_decisions_total',
    help: 'Decisions answered, by outcome (allow, deny, error)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const outcomes = {
    allow: decisions.labels('allow'),
    deny: decisions.labels('deny'),
    error: decisions.labels('error'),
  };
  return {
    registry,
    countDecisions(answers) {
      let allow = 0;
      let deny = 0;
      for (const a of answers) {
        if ('error' in a) continue;
        if (a.decision === 'allow') allow++;
        else deny++;
      }
      if (allow > 0) outcomes.allow.inc(allow);
      if (deny > 0) outcomes.deny.inc(deny);
      if (answers.length > allow + deny) outcomes.error.inc(answers.length - allow - deny);
    },
  };
}

/** Counts and times every answer (route template, not URL: ids would explode the label space). */
export function registerMetrics(app: FastifyInstance, metrics: Metrics): void {
  const labels = ['method', 'route', 'status'];
  const requests = new Counter({
    name: 'assent_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: labels,
    registers: [metrics.registry],
  });
  const durations = new Histogram({
    name: 'assent_http_request_duration_seconds',
    help: 'HTTP request durations, by method, route and status',
    labelNames: labels,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [metrics.registry],
  });
  // The labelled children, kept by label values: prom-client hashes a label object on every inc/observe otherwise.
  const children = new Map<
    string,
    { count: ReturnType<typeof requests.labels>; time: ReturnType<typeof durations.labels> }
  >();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    const id = `${request.method} ${route} ${reply.statusCode}`;
    let child = children.get(id);
    if (child === undefined) {
      const l = { method: request.method, route, status: String(reply.statusCode) };
      child = { count: requests.labels(l), time: durations.labels(l) };
      children.set(id, child);
    }
    child.count.inc();
    child.time.observe(reply.elapsedTime / 1000);
    done();
  });
  app.get(
    '/metrics',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format)',
        response: {
          200: { description: 'metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
          ...errorResponses,
        },
      },
    },
    async (_request, reply) =>
      reply
        .type(metrics.registry.contentType)
        .send(cluster.isWorker ? await clusterMetrics() : await metrics.registry.metrics()),
  );
  // Under `--workers`, a scrape reaches one worker: the primary sums every worker's registry (prom-client's
  // AggregatorRegistry), else each scrape read one process's counters and Prometheus saw a counter reset each time
  // another worker answered.
  if (cluster.isWorker) {
    AggregatorRegistry.setRegistries([metrics.registry]);
    // Its constructor is what makes a worker answer the primary's requests (prom-client adds the listener there).
    new AggregatorRegistry();
  }
}

const METRICS_MESSAGE = 'assent:metrics';
const METRICS_TIMEOUT_MS = 5_000;

/** The whole cluster's metrics, asked of the primary (servePrimaryMetrics). */
function clusterMetrics(): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error(`the primary did not answer for the cluster's metrics within ${METRICS_TIMEOUT_MS} ms`));
    }, METRICS_TIMEOUT_MS);
    const onMessage = (message: unknown): void => {
      const m = message as { type?: unknown; id?: unknown; text?: unknown; error?: unknown };
      if (m?.type !== METRICS_MESSAGE || m.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (typeof m.text === 'string') resolve(m.text);
      else reject(new Error(`the cluster's metrics: ${String(m.error)}`));
    };
    process.on('message', onMessage);
    process.send?.({ type: METRICS_MESSAGE, id });
  });
}

/** In the primary: answers a worker's request for the cluster's metrics, summed over every worker. */
export function servePrimaryMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    const m = message as { type?: unknown; id?: unknown };
    if (m?.type !== METRICS_MESSAGE) return;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: METRICS_MESSAGE, id: m.id, text }),
      (error: Error) => worker.isConnected() && worker.send({ type: METRICS_MESSAGE, id: m.id, error: error.message }),
    );
  });
}

// Prometheus metrics: requests by route and status, their durations, decisions by outcome.
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
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
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

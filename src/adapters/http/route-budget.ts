// The budget of a costly route (ledger verification, the retention purge, the register): a few calls a window per
// key, counted once the request is valid, so that a malformed call costs nothing and does not use the budget up.
// @fastify/rate-limit counts on arrival (onRequest), before validation, which is right for the server-wide limit.
import type { FastifyInstance } from 'fastify';
import { rateLimitKey } from './auth.js';
import { HttpProblem } from './problems.js';

export function registerRouteBudgets(app: FastifyInstance, windowMs: number, now: () => number = Date.now): void {
  const windows = new Map<string, { start: number; count: number }>();
  app.addHook('preHandler', async (request, reply) => {
    const bucket = request.routeOptions.config?.rateLimitBucket;
    const max = request.routeOptions.config?.rateLimitMax;
    if (bucket === undefined || max === undefined) return;
    const t = now();
    const key = `${bucket}|${rateLimitKey(request)}`;
    let w = windows.get(key);
    if (w === undefined || t - w.start >= windowMs) {
      if (windows.size > 10_000) for (const [k, old] of windows) if (t - old.start >= windowMs) windows.delete(k);
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    if (w.count > max) {
      const seconds = Math.max(1, Math.ceil((w.start + windowMs - t) / 1000));
      reply.header('retry-after', String(seconds));
      throw new HttpProblem('RATE_LIMITED', `at most ${max} requests per window on this route; retry in ${seconds} s`);
    }
  });
}

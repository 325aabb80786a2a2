// Webhook subscriptions over HTTP (docs/webhooks.md): admin scope only, since a subscription receives every change.
import type { FastifyInstance } from 'fastify';
import { StoreError } from '../../../store/store.js';
import { WEBHOOK_TOPICS, type WebhookStatus } from '../../../store/webhooks.js';
import type { AppDeps } from '../app.js';
import { invalidField } from '../problems.js';
import { errorResponses, idParams } from '../schemas/common.js';

const STATUSES: readonly WebhookStatus[] = ['pending', 'delivered', 'dead', 'cancelled'];
const nullableString = { type: ['string', 'null'] } as const;

const webhookProperties = {
  id: { type: 'string' },
  url: { type: 'string' },
  topics: { type: 'array', items: { type: 'string' } },
  description: nullableString,
  active: { type: 'boolean' },
  createdAt: { type: 'string' },
  disabledAt: nullableString,
} as const;
const webhook = { type: 'object', properties: webhookProperties } as const;

const delivery = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'the message id, sent as the Webhook-Id header' },
    subscriptionId: { type: 'string' },
    topic: { type: 'string' },
    eventSeq: { type: ['integer', 'null'], description: 'the ledger event; null for test messages' },
    status: { enum: STATUSES },
    attempts: { type: 'integer' },
    nextAttemptAt: { ...nullableString, description: 'pending only' },
    lastStatus: { type: ['integer', 'null'], description: 'HTTP status of the last attempt' },
    lastError: nullableString,
    lastAttemptAt: nullableString,
    deliveredAt: nullableString,
    createdAt: { type: 'string' },
  },
} as const;

const tags = ['webhooks'];
const config = { scope: 'admin' } as const;

interface NewWebhookBody {
  url: string;
  topics: string[];
  description?: string;
}

/** `/v1/webhooks`: subscribe, list, unsubscribe, read the delivery log, send a test message. */
export async function registerWebhookRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'store'>): Promise<void> {
  const { store } = deps;
  const known = async (id: string): Promise<void> => {
    if ((await store.getWebhook(id)) === null) throw new StoreError('NOT_FOUND', `no webhook ${id}`);
  };

  app.post<{ Body: NewWebhookBody }>(
    '/v1/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'Subscribe a URL to ledger changes; the answer carries the signing secret, shown this once',
        body: {
          type: 'object',
          required: ['url', 'topics'],
          additionalProperties: false,
          properties: {
            url: { type: 'string', minLength: 1, maxLength: 2048, description: 'http(s) URL receiving the POSTs' },
            topics: {
              type: 'array',
              minItems: 1,
              maxItems: WEBHOOK_TOPICS.length + 1,
              uniqueItems: true,
              items: { enum: [...WEBHOOK_TOPICS, '*'] },
            },
            description: { type: 'string', maxLength: 500 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              ...webhookProperties,
              secret: { type: 'string', description: 'whsec_…: verifies the Webhook-Signature header' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      try {
        const { webhook: created, secret } = await store.createWebhook(request.body);
        return reply.code(201).send({ ...created, secret });
      } catch (error) {
        // The store checks the URL beyond the schema (scheme, credentials): name the field.
        if (error instanceof StoreError && error.code === 'INVALID' && error.message.startsWith('url: ')) {
          throw invalidField('/url', error.message.slice('url: '.length));
        }
        throw error;
      }
    },
  );

  app.get(
    '/v1/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'Active subscriptions (never their secret)',
        response: {
          200: { type: 'object', properties: { webhooks: { type: 'array', items: webhook } } },
          ...errorResponses,
        },
      },
    },
    async () => ({ webhooks: await store.listWebhooks() }),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/webhooks/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Unsubscribe: messages not delivered yet are cancelled; the delivery log stays',
        params: idParams,
        response: { 204: { type: 'null', description: 'unsubscribed' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await store.deleteWebhook(request.params.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: string; status?: WebhookStatus } }>(
    '/v1/webhooks/:id/deliveries',
    {
      config,
      schema: {
        tags,
        summary: "A subscription's latest messages, newest first: status, attempts, last error",
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            // A string: the app's validator does not coerce types, and a query string is text.
            limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$', description: '1 to 100, default 50' },
            status: { enum: STATUSES },
          },
        },
        response: {
          200: { type: 'object', properties: { deliveries: { type: 'array', items: delivery } } },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      await known(request.params.id);
      const { limit = '50', status } = request.query;
      return { deliveries: await store.webhookDeliveries(request.params.id, { limit: Number(limit), status }) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/webhooks/:id/test',
    {
      config,
      schema: {
        tags,
        summary: 'Queue a webhook.test message (event null) behind what the subscription is waiting for',
        params: idParams,
        response: { 202: delivery, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await store.enqueueWebhookTest(request.params.id)),
  );
}

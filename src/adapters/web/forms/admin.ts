// Admin routes of consent forms: create and list forms, the double opt-in drop-off report, a manual sweep.
import type { FastifyInstance } from 'fastify';
import { CHANNELS } from '../../../domain/channels.js';
import { checkFormSettings, type FormSettings } from '../../../services/forms/settings.js';
import type { ConsentForm } from '../../../store/consent-requests.js';
import type { RouteContext } from '../../http/app.js';
import { HttpProblem, queryProblem } from '../../http/problems.js';
import type { FormServices } from './index.js';

const tags = ['consent forms'];
/** A form as answered (its settings as stored, its page URL and embed snippet): declared for the OpenAPI document. */
const FormView = {
  type: 'object',
  required: ['id', 'name', 'settings', 'createdAt', 'revision', 'updatedAt', 'retiredAt', 'url', 'embed'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    settings: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string' },
    revision: { type: 'integer' },
    updatedAt: { type: ['string', 'null'] },
    retiredAt: { type: ['string', 'null'] },
    url: { type: 'string' },
    embed: { type: 'string' },
  },
} as const;
const text = {
  type: 'object',
  required: ['key', 'version'],
  additionalProperties: false,
  properties: { key: { type: 'string', minLength: 1 }, version: { type: 'string', minLength: 1 } },
} as const;
const channel = { type: 'string', enum: [...CHANNELS] } as const;

const SettingsSchema = {
  type: 'object',
  required: ['jurisdiction', 'privacyPolicyUrl', 'boxes'],
  additionalProperties: false,
  properties: {
    jurisdiction: { type: 'string', minLength: 2, maxLength: 2 },
    privacyPolicyUrl: { type: 'string', maxLength: 2048 },
    controller: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200 },
        email: { type: 'string', minLength: 3, maxLength: 320 },
        address: { type: 'string', minLength: 1, maxLength: 500 },
      },
    },
    doubleOptIn: { type: 'boolean' },
    fields: { type: 'array', items: { type: 'string', enum: ['email', 'phone'] }, uniqueItems: true, maxItems: 2 },
    boxes: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['id', 'channel', 'purpose', 'text'],
        additionalProperties: false,
        properties: { id: { type: 'string' }, channel, purpose: { type: 'string', minLength: 1 }, text },
      },
    },
    partners: {
      type: 'object',
      required: ['channels', 'purpose', 'text', 'partners', 'listUrl'],
      additionalProperties: false,
      properties: {
        channels: { type: 'array', items: channel, minItems: 1, uniqueItems: true },
        purpose: { type: 'string', minLength: 1 },
        text,
        partners: {
          type: 'array',
          maxItems: 200,
          items: {
            type: 'object',
            required: ['id', 'name'],
            additionalProperties: false,
            properties: { id: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } },
          },
        },
        listUrl: { type: 'string', maxLength: 2048 },
      },
    },
    origins: { type: 'array', items: { type: 'string' }, maxItems: 50 },
  },
} as const;

export async function consentFormAdminRoutes(app: FastifyInstance, ctx: RouteContext, services: FormServices) {
  const base = ctx.config.publicUrl.replace(/\/$/, '');
  const view = (f: ConsentForm) => ({
    ...f,
    url: `${base}/f/${f.id}`,
    embed: `<script src="${base}/f/${f.id}/embed.js" async></script>`,
  });

  type GivenSettings = Partial<FormSettings> & Pick<FormSettings, 'jurisdiction'>;
  const body = (extra: Record<string, unknown> = {}) =>
    ({
      type: 'object',
      required: ['name', 'settings'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, settings: SettingsSchema, ...extra },
    }) as const;
  /** The settings as stored, defaults filled in, after the checks that need the store (texts) and the packs. */
  const checkedSettings = async (given: GivenSettings, creating: boolean): Promise<FormSettings> => {
    const settings: FormSettings = {
      jurisdiction: given.jurisdiction.toUpperCase(),
      privacyPolicyUrl: given.privacyPolicyUrl ?? '',
      ...(given.controller === undefined ? {} : { controller: given.controller }),
      doubleOptIn: given.doubleOptIn ?? false,
      fields: given.fields ?? ['email'],
      boxes: given.boxes ?? [],
      ...(given.partners === undefined ? {} : { partners: given.partners }),
      origins: given.origins ?? [],
    };
    // Required of a new form; a change of a form made before it existed is taken without it (it shows none).
    const errors = await checkFormSettings(settings, ctx.store, ctx.packs, { requireController: creating });
    if (errors.length > 0) {
      throw new HttpProblem(
        'VALIDATION',
        errors.join('; '),
        errors.map((e) => ({
          in: 'body' as const,
          pointer: `/settings${e.split(':')[0]}`,
          detail: e.slice(e.indexOf(':') + 2),
        })),
      );
    }
    return settings;
  };

  app.post<{ Body: { name: string; settings: GivenSettings } }>(
    '/v1/consent-forms',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: 'Create a consent form (boxes, partners, privacy link, jurisdiction, double opt-in): docs/forms.md',
        body: body(),
        response: { 201: FormView },
      },
    },
    async (request, reply) => {
      const settings = await checkedSettings(request.body.settings, true);
      const form = await ctx.store.createConsentForm({ name: request.body.name, settings });
      return reply.code(201).header('location', `/v1/consent-forms/${form.id}`).send(view(form));
    },
  );

  app.put<{ Params: { id: string }; Body: { name: string; settings: GivenSettings; revision?: number } }>(
    '/v1/consent-forms/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary:
          'Change a form: its name and whole settings, as at creation; `revision` (optional) must be the current one. ' +
          'Pages shown before the change are refused at submission and shown again (docs/forms.md)',
        body: body({ revision: { type: 'integer', minimum: 1 } }),
        response: { 200: FormView },
      },
    },
    async (request) => {
      const settings = await checkedSettings(request.body.settings, false);
      const { name, revision } = request.body;
      return view(
        await ctx.store.updateConsentForm(request.params.id, {
          name,
          settings,
          ...(revision === undefined ? {} : { revision }),
        }),
      );
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/consent-forms/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary:
          'Retire a form: its page and submissions answer 410 Gone; confirmations already asked for still work; ' +
          'what it recorded stays in the ledger',
        response: { 200: FormView },
      },
    },
    async (request) => {
      const form = await ctx.store.retireConsentForm(request.params.id);
      if (form === null) throw new HttpProblem('NOT_FOUND', `no consent form ${request.params.id}`);
      return view(form);
    },
  );

  const list = {
    200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: FormView } } },
  };
  app.get(
    '/v1/consent-forms',
    { config: { scope: 'admin' }, schema: { tags, summary: 'Every form', response: list } },
    async () => ({
      items: (await ctx.store.listConsentForms()).map(view),
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/consent-forms/:id',
    { config: { scope: 'admin' }, schema: { tags, summary: 'One form', response: { 200: FormView } } },
    async (request) => {
      const form = await ctx.store.getConsentForm(request.params.id);
      if (form === null) throw new HttpProblem('NOT_FOUND', `no consent form ${request.params.id}`);
      return view(form);
    },
  );

  app.get<{ Querystring: { formId?: string } }>(
    '/v1/consent-requests/stats',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: 'Double opt-in drop-off: requests by status and the share never confirmed',
        querystring: { type: 'object', properties: { formId: { type: 'string' } }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            required: ['total', 'pending', 'confirmed', 'expired', 'neverConfirmedShare'],
            properties: {
              total: { type: 'integer' },
              pending: { type: 'integer' },
              confirmed: { type: 'integer' },
              expired: { type: 'integer' },
              neverConfirmedShare: {
                type: ['number', 'null'],
                description: 'expired ÷ (confirmed + expired); null before any request is settled',
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { formId } = request.query;
      // A mistyped form id answered zeros, read as "nobody signed up".
      if (formId !== undefined && (await ctx.store.getConsentForm(formId)) === null) {
        throw queryProblem('/formId', `names no consent form (GET /v1/consent-forms lists them)`);
      }
      return ctx.store.consentRequestStats(formId);
    },
  );

  app.post(
    '/v1/consent-requests/sweep',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: 'Send due reminders and expire old requests now',
        response: {
          200: {
            type: 'object',
            required: ['reminded', 'sent', 'expired', 'failed', 'stopped', 'held'],
            properties: {
              reminded: { type: 'integer', description: 'reminders sent' },
              sent: {
                type: 'integer',
                description: 'first messages sent late (they could not be sent when asked for)',
              },
              expired: { type: 'integer', description: 'requests past their expiry, settled as expired' },
              failed: { type: 'integer', description: 'reminders that could not be sent (retried at the next sweep)' },
              stopped: {
                type: 'integer',
                description: 'requests ended because the person withdrew or objected since (no reminder sent)',
              },
              held: {
                type: 'integer',
                description: 'reminders due to an address on the suppression list, not sent (anyone may have typed it)',
              },
            },
          },
        },
      },
    },
    async () => services.sweep(),
  );
}

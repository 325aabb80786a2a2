// Consent texts: the versioned wordings people are shown, stored once and referenced by id and SHA-256.
import type { FastifyInstance } from 'fastify';
import { type FormSettings, textsOf } from '../../../services/forms/settings.js';
import { publishedAtOf } from '../../../services/record-events.js';
import type { RouteContext } from '../app.js';
import { allows } from '../auth.js';
import { HttpProblem, invalidField } from '../problems.js';
import { errorResponses, idParams } from '../schemas/common.js';

const text = { $ref: 'ConsentText#' } as const;
const tags = ['consent texts'];

export async function consentTextRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { store } = ctx;
  app.post<{ Body: { key: string; version: string; language: string; body: string; publishedAt?: string } }>(
    '/v1/consent-texts',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        summary: 'Store a consent wording; a version is immutable (other wording under the same id is a 409)',
        description: 'Its id is `key:version:language`. Storing the same wording again answers 200 with it.',
        body: { $ref: 'NewConsentText#' },
        response: { 200: text, 201: text, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { publishedAt, ...b } = request.body;
      const published = publishedAt === undefined ? null : publishedAtOf(publishedAt, ctx.now());
      if (published !== null && 'problem' in published) throw invalidField('/publishedAt', published.problem);
      const existed = (await store.getConsentText(`${b.key}:${b.version}:${b.language.toLowerCase()}`)) !== null;
      // A new language of a wording a live form shows changes what the form says to those visitors (textIdFor):
      // changing a form is the admin's (its routes are admin), so is this.
      if (!existed && !allows(request.apiKey?.scopes ?? [], 'admin')) {
        const users = (await store.listConsentForms()).filter(
          (f) =>
            f.retiredAt === null &&
            textsOf(f.settings as FormSettings).some((x) => x.key === b.key && x.version === b.version),
        );
        if (users.length > 0) {
          throw new HttpProblem(
            'FORBIDDEN',
            `${b.key}:${b.version} is shown by form ${users.map((f) => f.id).join(', ')}: a new language changes what it says to those visitors, which needs an "admin" key (or a new version of the text, then the form changed to use it)`,
          );
        }
      }
      const stored = await store.putConsentText({ ...b, ...(published ? { createdAt: published.at } : {}) });
      if (!existed) reply.code(201).header('location', `/v1/consent-texts/${encodeURIComponent(stored.id)}`);
      return stored;
    },
  );
  app.get(
    '/v1/consent-texts',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'Every stored wording (without its body: GET one for it)',
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    key: { type: 'string' },
                    version: { type: 'string' },
                    language: { type: 'string' },
                    sha256: { type: 'string' },
                    createdAt: { type: 'string' },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => ({ items: await store.listConsentTexts() }),
  );
  app.get<{ Params: { id: string } }>(
    '/v1/consent-texts/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'One wording, with its body',
        params: idParams,
        response: { 200: text, ...errorResponses },
      },
    },
    async (request) => {
      const found = await store.getConsentText(request.params.id);
      if (found === null) throw new HttpProblem('NOT_FOUND', `no consent text ${request.params.id}`);
      return found;
    },
  );
}

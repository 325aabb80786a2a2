// GET /v1/contacts/{id}/links: a recipient's unsubscribe and preference links and the RFC 8058 headers, for systems
// that send their own messages (campaigns compute the same per message: src/services/unsubscribe.ts).
import type { FastifyInstance } from 'fastify';
import { CHANNELS } from '../../../domain/channels.js';
import type { TokenSigner } from '../../../services/tokens.js';
import { recipientLinks } from '../../../services/unsubscribe.js';
import type { RouteContext } from '../../http/app.js';
import { HttpProblem } from '../../http/problems.js';
import { errorResponses, idParams } from '../../http/schemas/common.js';

export function linkRoutes(app: FastifyInstance, ctx: RouteContext, signer: TokenSigner): void {
  app.get<{ Params: { id: string }; Querystring: { channel?: string; mailto?: string } }>(
    '/v1/contacts/:id/links',
    {
      // write, not decide: the preference link opens a page that changes the person's consents and files requests.
      config: { scope: 'write' },
      schema: {
        tags: ['contacts'],
        summary: "A recipient's unsubscribe and preference links, and the List-Unsubscribe headers (RFC 8058)",
        description:
          'Every prospecting message carries a free, working way out (CPCE art. L34-5; GDPR art. 21(4)): put these ' +
          'links in the message and the headers on the mail. `channel` narrows the unsubscribe to that channel ' +
          '(default: every prospecting channel); `mailto` adds a mail address to List-Unsubscribe. Links are signed ' +
          'for this contact and expire (unsubscribe 400 days, preferences 90); they use ASSENT_PUBLIC_URL.',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            channel: { enum: [...CHANNELS] },
            mailto: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 320 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              unsubscribeUrl: { type: 'string' },
              preferencesUrl: { type: 'string' },
              headers: {
                type: 'object',
                properties: {
                  'List-Unsubscribe': { type: 'string' },
                  'List-Unsubscribe-Post': { type: 'string' },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const contact = await ctx.store.findContact({ id: request.params.id });
      if (contact === null || contact.erasedAt !== undefined) {
        throw new HttpProblem('NOT_FOUND', `no contact ${request.params.id}`);
      }
      const { channel, mailto } = request.query;
      return recipientLinks(signer, {
        publicUrl: ctx.config.publicUrl,
        contactId: contact.id,
        now: ctx.now(),
        ...(channel ? { channel } : {}),
        ...(mailto ? { mailto } : {}),
      });
    },
  );
}

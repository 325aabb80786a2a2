// Recipient-facing unsubscribe and preference pages (issue #5; docs/unsubscribe.md), registered by app.ts.
import type { FastifyInstance } from 'fastify';
import { loadTokenSigner } from '../../../services/tokens.js';
import type { RouteContext } from '../../http/app.js';
import { registerWebAssets, STYLESHEET_PATH } from '../layout.js';
import { preferenceRoutes } from './center.js';
import { inboundRoutes } from './inbound.js';
import { linkRoutes } from './links.js';
import { registerFormParsers } from './shared.js';
import { unsubscribeRoutes } from './unsubscribe.js';

/** One plugin (encapsulated: its body parsers stay here): `/u/{token}`, `/p/{token}`, SMS STOP, rights requests. */
export async function recipientPreferenceRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const signer = await loadTokenSigner(ctx.store, ctx.config, { now: ctx.now });
  // The forms module serves the stylesheet when it is registered; otherwise these pages do.
  if (!app.hasRoute({ method: 'GET', url: STYLESHEET_PATH })) registerWebAssets(app);
  await app.register(async (pages) => {
    registerFormParsers(pages);
    unsubscribeRoutes(pages, ctx, signer);
    preferenceRoutes(pages, ctx, signer);
  });
  await app.register(async (api) => inboundRoutes(api, ctx));
  await app.register(async (api) => linkRoutes(api, ctx, signer));
}

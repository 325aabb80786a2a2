// Consent forms and double opt-in (issue #5), registered by app.ts with one line: pages, admin routes, the
// stylesheet, and the timer that sends reminders and expires unconfirmed requests.
import type { FastifyInstance } from 'fastify';
import type { FormDeps, Notify } from '../../../services/forms/collect.js';
import { processDueRequests } from '../../../services/forms/double-opt-in.js';
import { httpSmsProvider, type SmsProvider } from '../../../services/forms/senders.js';
import type { FormSettings } from '../../../services/forms/settings.js';
import { type Mailer, smtpMailer } from '../../../services/mail.js';
import { TokenSigner } from '../../../services/tokens.js';
import type { RouteContext } from '../../http/app.js';
import { translator } from '../i18n.js';
import { registerWebAssets } from '../layout.js';
import { consentFormAdminRoutes } from './admin.js';
import { CONFIRM_PATH } from './confirm.js';
import { confirmationMail } from './pages.js';
import { formRoutes } from './routes.js';

export interface FormServices {
  deps: FormDeps;
  /** Sends due reminders and expires requests at ctx.now() (the server's timer; tests call it with their clock). */
  sweep(): Promise<{ reminded: number; sent: number; expired: number; failed: number; stopped: number; held: number }>;
  close(): void;
}

/** The services behind the pages: token signer (configured secrets, else the store's), mail and SMS senders. */
export function formServices(
  ctx: RouteContext,
  senders: { mailer?: Mailer; sms?: SmsProvider } = {},
  /** Told of each confirmation that could not be sent (the request stays pending; the sweep tries again). */
  onSendError: (error: unknown, request: { id: string; via: string }) => void = () => {},
): FormServices {
  const forms = ctx.config.forms;
  let signer: Promise<TokenSigner> | undefined;
  const getSigner = (): Promise<TokenSigner> => {
    signer ??= (async () => {
      const secrets = ctx.config.tokenSecrets ?? (await ctx.store.addTokenSecret({ ifNone: true }));
      return new TokenSigner(secrets, { now: ctx.now });
    })();
    signer.catch(() => {
      signer = undefined; // retry on the next request
    });
    return signer;
  };
  const mailer =
    senders.mailer ??
    (forms.smtpUrl === null
      ? null
      : smtpMailer(forms.smtpUrl, forms.mailFrom, { connectTimeoutMs: forms.smtpConnectTimeoutMs }));
  const sms = senders.sms ?? (forms.smsUrl === null ? null : httpSmsProvider(forms.smsUrl, forms.smsToken));
  const base = ctx.config.publicUrl.replace(/\/$/, '');
  const notify: Notify = async (request, token, kind) => {
    try {
      await send(request, token, kind);
    } catch (error) {
      onSendError(error, { id: request.id, via: request.via });
      throw error;
    }
  };
  const send: Notify = async (request, token, kind) => {
    const t = translator(request.language, 'forms');
    const link = `${base}${CONFIRM_PATH}?token=${token}`;
    // The controller as the form names it now (GDPR art. 13(1)(a)); none for a form made before it was asked.
    const controller = ((await ctx.store.getConsentForm(request.formId))?.settings as FormSettings | undefined)
      ?.controller;
    if (request.via === 'sms') {
      if (sms === null) throw new Error('ASSENT_SMS_URL is not set: SMS confirmations cannot be sent');
      const text = t.t('sms.body', { link });
      await sms.send({
        to: request.destination,
        text: controller === undefined ? text : `${controller.name}: ${text}`,
      });
      return;
    }
    if (mailer === null) throw new Error('SMTP_URL is not set: confirmation mails cannot be sent');
    await mailer.send({ to: request.destination, ...confirmationMail(t, request, link, kind, controller ?? null) });
  };
  const deps: FormDeps = {
    store: ctx.store,
    packs: ctx.packs,
    now: ctx.now,
    signer: getSigner,
    notify,
    expireMs: forms.expireMs,
    recordedBy: 'form',
  };
  return {
    deps,
    sweep: () => processDueRequests(deps, { remindMs: forms.remindMs, maxReminders: forms.maxReminders }),
    close: () => mailer?.close(),
  };
}

/** Registers everything; the sweep timer runs only while the server listens (not under app.inject). */
export async function registerConsentForms(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  // No address in the log line: the request id finds it in the store.
  const services = formServices(ctx, {}, (error, request) =>
    app.log.warn({ err: error, consentRequest: request.id, via: request.via }, 'double opt-in confirmation not sent'),
  );
  registerWebAssets(app);
  // Scoped: the form-body parser and pages stay inside this plugin.
  await app.register(async (scope) => formRoutes(scope, ctx, services.deps));
  await app.register(async (scope) => consentFormAdminRoutes(scope, ctx, services));
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  app.addHook('onListen', async () => {
    if (ctx.config.forms.smtpUrl === null) {
      app.log.warn('SMTP_URL is not set: double opt-in confirmation mails cannot be sent (requests stay pending)');
    }
    if (ctx.config.forms.sweepMs <= 0 || timer !== undefined) return;
    timer = setInterval(() => {
      if (running) return;
      running = true;
      services
        .sweep()
        .catch((error: unknown) => app.log.warn({ err: error }, 'double opt-in sweep'))
        .finally(() => {
          running = false;
        });
    }, ctx.config.forms.sweepMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer !== undefined) clearInterval(timer);
    services.close();
  });
}

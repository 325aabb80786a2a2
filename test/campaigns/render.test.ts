// Rendering per recipient: each obligation set the engine can return, filled from the template's slots and the
// FR/EN statements (B2C consent, B2B, data source present or absent), HTML escaped, RFC 8058 headers.
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/domain/decision.js';
import type { DecisionEvent } from '../../src/domain/ledger.js';
import { decide } from '../../src/policy/decide.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { sourceOf } from '../../src/services/campaigns/recipients.js';
import { type RenderContext, RenderError, renderMessage } from '../../src/services/campaigns/templates.js';
import { recipientLinks } from '../../src/services/unsubscribe.js';
import { signer, template } from './helpers.js';

const packs = buildRegistry();
const links = recipientLinks(signer, { publicUrl: 'https://assent.example', contactId: 'c-1', channel: 'email' });
const ob = (...codes: string[]) => codes.map((code) => ({ code, message: `${code} message` }));
const EMAIL_FR = ob(
  'IDENTIFY_SENDER',
  'MARK_AS_ADVERTISING',
  'UNSUBSCRIBE_LINK',
  'ONE_CLICK_UNSUBSCRIBE',
  'DISCLOSE_DATA_SOURCE',
);

function ctx(over: Partial<RenderContext> = {}): RenderContext {
  return {
    channel: 'email',
    obligations: EMAIL_FR,
    basis: 'CONSENT',
    audience: 'b2c',
    source: { kind: 'direct', provider: null },
    links,
    vars: { firstName: 'Ana' },
    ...over,
  };
}

function email(t = template('email'), c = ctx()) {
  const m = renderMessage(t, c);
  if (m.kind !== 'email') throw new Error('not an email');
  return m;
}

describe('email rendering', () => {
  it('B2C consent, FR, direct collection: every mention, the signed link and the RFC 8058 headers', () => {
    const m = email();
    expect(m.subject).toBe("Publicité: Nos offres d'automne, Ana");
    for (const part of [m.html, m.text]) {
      expect(part).toContain('Boutique Exemple SAS, 1 rue de la Paix, 75002 Paris');
      expect(part).toContain('Vous recevez ce message car vous avez accepté de recevoir nos offres par e-mail.');
      expect(part).toContain('Boutique Exemple SAS a recueilli vos coordonnées directement');
      expect(part).toContain('dpo@shop.example');
      expect(part).toContain('https://shop.example/privacy');
    }
    expect(m.html).toContain(`<a href="${links.unsubscribeUrl}">Se désinscrire</a>`);
    expect(m.text).toContain(`Se désinscrire : ${links.unsubscribeUrl}`);
    expect(m.headers).toEqual({
      'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(m.carried.sort()).toEqual(EMAIL_FR.map((o) => o.code).sort());
  });

  it('B2B related to the profession, EN, acquired list: the provider named, escaped in HTML only', () => {
    const m = email(
      template('email', { language: 'en', sender: 'Shop & Co <Ltd>' }),
      ctx({ basis: 'B2B_RELATED', audience: 'b2b', source: { kind: 'acquired', provider: 'DataCorp <lists>' } }),
    );
    expect(m.subject.startsWith('Advertisement: ')).toBe(true);
    expect(m.text).toContain(
      'You are contacted by email in your professional capacity because our offer relates to your professional activity.',
    );
    expect(m.text).toContain('Your details were obtained from a third party: DataCorp <lists>.');
    expect(m.text).toContain('Shop & Co <Ltd>');
    expect(m.html).toContain('a third party: DataCorp &lt;lists&gt;.');
    expect(m.html).toContain('Shop &amp; Co &lt;Ltd&gt;');
    expect(m.html).not.toContain('<lists>');
  });

  it('names the advertiser in the statements by senderName, else by sender up to its first comma', () => {
    const named = email(template('email', { senderName: 'Boutique Exemple' }));
    expect(named.text).toContain('Boutique Exemple a recueilli vos coordonnées directement');
    expect(named.text).toContain('Boutique Exemple SAS, 1 rue de la Paix, 75002 Paris'); // {{sender}}: the full identity
  });

  it('B2C client exception and a public source, each with its own statement', () => {
    const m = email(
      template('email', { language: 'en' }),
      ctx({ basis: 'CLIENT_EXCEPTION', source: { kind: 'public', provider: null } }),
    );
    expect(m.text).toContain('as a customer of Boutique Exemple SAS');
    expect(m.text).toContain('Your details come from a publicly available source.');
  });

  it('no data-source obligation: {{source}} stays empty', () => {
    const obligations = EMAIL_FR.filter((o) => o.code !== 'DISCLOSE_DATA_SOURCE');
    const m = email(template('email'), ctx({ obligations, source: { kind: 'acquired', provider: 'DataCorp' } }));
    expect(m.text).not.toContain('DataCorp');
    expect(m.text).not.toContain('coordonnées');
    expect(m.carried).not.toContain('DISCLOSE_DATA_SOURCE');
  });

  it('escapes recipient variables in HTML and keeps them out of headers', () => {
    const m = email(template('email'), ctx({ vars: { firstName: '<img src=x onerror=alert(1)>\r\nBcc: x@evil' } }));
    expect(m.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(m.html).not.toContain('<img');
    expect(m.subject).not.toMatch(/[\r\n]/);
  });

  it('an audience column cannot replace a slot', () => {
    const m = email(template('email'), ctx({ vars: { firstName: 'Ana', unsubscribeUrl: 'https://evil.example' } }));
    expect(m.html).not.toContain('evil.example');
  });

  it('a real FR decision: every obligation the engine returns is carried', () => {
    const d = decide(
      {
        jurisdiction: 'FR',
        at: '2026-10-01T09:00:00Z',
        message: { channel: 'email' },
        contact: { type: 'individual' },
        history: [{ at: '2026-01-10', type: 'consent.given', channel: 'email' }],
      },
      packs,
    ) as Decision;
    expect(d.decision).toBe('allow');
    const m = email(template('email'), ctx({ obligations: d.obligations, basis: d.basis ?? '' }));
    expect(m.carried.sort()).toEqual([...new Set(d.obligations.map((o) => o.code))].sort());
  });

  it('reads audience values as own properties: a column named constructor is a value like any other', () => {
    const t = template('email');
    if (t.email) t.email.html = t.email.html.replace('</p>', ' {{constructor}} {{toString}}</p>');
    const m = email(t, ctx({ vars: { firstName: 'Ana', constructor: 'B&B' } }));
    expect(m.html).toContain(' B&amp;B </p>');
    expect(m.html).not.toContain('native code');
  });

  it('refuses an audience value that would make a link run a script, and keeps web, mail and phone links', () => {
    const t = template('email');
    if (t.email) t.email.html = t.email.html.replace('</p>', ' <a href="{{site}}">site</a> <img src={{logo}}></p>');
    const render = (site: string, logo = 'https://cdn.example/l.png') =>
      email(t, ctx({ vars: { firstName: 'Ana', site, logo } }));
    expect(render('https://shop.example/a?b=1&c=2').html).toContain('href="https://shop.example/a?b=1&amp;c=2"');
    expect(render('mailto:help@shop.example').html).toContain('href="mailto:help@shop.example"');
    expect(render('/relative/page').html).toContain('href="/relative/page"');
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<b>x</b>',
    ]) {
      expect(() => render(bad.replace('\\t', '\t')), bad).toThrow(/no web, mail or phone address/);
    }
    // Another host without a scheme is no relative link: a mail client may open it as file://host (a share).
    for (const bad of ['//evil.example/x', '\\\\evil.example\\share']) {
      expect(() => render(bad), bad).toThrow(/another host's address without a scheme/);
    }
    expect(() => render('https://ok.example', 'javascript:x')).toThrow(/starts "javascript:"/);
    // Two values side by side make one address; a space before the value is dropped by browsers.
    const t2 = template('email');
    if (t2.email) t2.email.html = t2.email.html.replace('</p>', ' <a href=" {{base}}{{path}}">x</a></p>');
    const two = (base: string, path: string) => email(t2, ctx({ vars: { firstName: 'Ana', base, path } }));
    expect(() => two('javascript', ':alert(document.cookie)')).toThrow(/starts "javascript:"/);
    expect(two('https://shop.example', '/a').html).toContain('href=" https://shop.example/a"');
    // A scheme written as character references with leading zeros, as browsers read them.
    const t3 = template('email');
    if (t3.email) t3.email.html = t3.email.html.replace('</p>', ' <a href="&#x000000006A;avascript:{{a}}">x</a></p>');
    expect(() => email(t3, ctx({ vars: { firstName: 'Ana', a: 'alert(1)' } }))).toThrow(/starts "javascript:"/);
    // Outside an address attribute the same text is only text.
    if (t.email) t.email.html = t.email.html.replace('<a href="{{site}}">site</a>', '<b>{{site}}</b>');
    expect(render('javascript:alert(1)').html).toContain('<b>javascript:alert(1)</b>');
  });

  it('refuses to render what the template cannot carry (fail closed)', () => {
    const t = template('email');
    if (t.email) t.email.text = t.email.text.replace('{{unsubscribeUrl}}', '');
    expect(() => renderMessage(t, ctx())).toThrow(RenderError);
    expect(() => renderMessage(template('email'), ctx({ links: null }))).toThrow(/signed unsubscribe link/);
    expect(() => renderMessage(template('email'), ctx({ obligations: ob('STOP_KEYWORD') }))).toThrow(RenderError);
    expect(() => renderMessage(template('email'), ctx({ obligations: ob('SOMETHING_NEW') }))).toThrow(RenderError);
    // Bought details whose provider nobody recorded: "a third party" would name no source (art. 14(2)(f)).
    expect(() => renderMessage(template('email'), ctx({ source: { kind: 'acquired', provider: null } }))).toThrow(
      /no provider is recorded/,
    );
    // Nothing says where the details came from: "collected directly from you" would be a guess.
    expect(() => renderMessage(template('email'), ctx({ source: { kind: 'unknown', provider: null } }))).toThrow(
      /how the details were obtained is not recorded/,
    );
  });

  it("reads the source from the ledger: the latest data.collected, else the person's own act, else unknown", () => {
    const at = '2026-01-01T00:00:00Z';
    const e = (type: string, data: Record<string, unknown> = {}) => ({ type, at, data }) as DecisionEvent;
    expect(sourceOf([e('consent.given', { channel: 'email' })])).toEqual({ kind: 'direct', provider: null });
    expect(sourceOf([e('data.collected', { source: 'acquired', provider: 'ListCo' }), e('purchase')])).toEqual({
      kind: 'acquired',
      provider: 'ListCo',
    });
    // A customer who gave us their details, later found on a bought list: they gave them to us.
    const direct = e('data.collected', { source: 'direct' });
    expect(sourceOf([direct, e('data.collected', { source: 'acquired', provider: 'ListCo' })])).toEqual({
      kind: 'direct',
      provider: null,
    });
    expect(sourceOf([e('message.opened')])).toEqual({ kind: 'unknown', provider: null });
    expect(sourceOf([e('interaction', { kind: 'click' })])).toEqual({ kind: 'unknown', provider: null });
    expect(sourceOf([e('interaction', { kind: 'request' })])).toEqual({ kind: 'direct', provider: null });
    expect(sourceOf([])).toEqual({ kind: 'unknown', provider: null });
  });
});

/** A French number, in a campaign run in France: whose short STOP number the recipient can text. */
const IN_FR = { number: 'FR', campaign: 'FR' };

describe('SMS and call rendering', () => {
  it('SMS: advertising first, STOP mention last, FR and EN', () => {
    const obligations = ob('IDENTIFY_SENDER', 'MARK_AS_ADVERTISING', 'STOP_KEYWORD', 'DISCLOSE_DATA_SOURCE');
    const fr = renderMessage(template('sms'), ctx({ channel: 'sms', obligations, countries: IN_FR }));
    expect(fr.kind === 'sms' && fr.text).toMatch(/^Publicité: Boutique Exemple SAS.*STOP au 36111$/s);
    expect(fr.kind === 'sms' && fr.text).toContain('nos offres par SMS');
    const en = renderMessage(
      template('sms', { language: 'en', smsStopNumber: '' }),
      ctx({ channel: 'sms', obligations, countries: IN_FR }),
    );
    expect(en.kind === 'sms' && en.text).toMatch(/Reply STOP to opt out$/);
    const stop = renderMessage(
      template('sms', { language: 'en' }),
      ctx({ channel: 'sms', obligations, countries: IN_FR }),
    );
    expect(stop.kind === 'sms' && stop.text).toMatch(/Reply STOP to 36111 to opt out$/);
    // A professional reached by SMS is not told of a professional "address".
    const pro = renderMessage(
      template('sms'),
      ctx({ channel: 'sms', obligations, audience: 'b2b', basis: 'B2B_RELATED' }),
    );
    expect(pro.kind === 'sms' && pro.text).toContain('Vous êtes contacté(e) par SMS à titre professionnel');
  });

  // A short number is national: "STOP au 36111" cannot be texted from a Belgian phone. It is named only to numbers of
  // the country it is given for (a plain one: the campaign's); any other recipient is told to reply STOP.
  const PER_COUNTRY = { FR: '36111', BE: '8686' };
  it.each([
    ['a French number, French short number', 'fr', '36111', IN_FR, /STOP au 36111$/],
    [
      'a Belgian number',
      'fr',
      '36111',
      { number: 'BE', campaign: 'FR' },
      /Répondez STOP pour ne plus recevoir de SMS$/,
    ],
    ['a Réunion number (an overseas network)', 'fr', '36111', { number: 'RE', campaign: 'FR' }, /Répondez STOP pour/],
    ['a German number in a campaign run in Germany', 'de', '36111', { number: 'DE', campaign: 'DE' }, /STOP an 36111$/],
    ['a Belgian number, its own short number', 'fr', PER_COUNTRY, { number: 'BE', campaign: 'FR' }, /STOP au 8686$/],
    ['a French number, per country', 'fr', PER_COUNTRY, IN_FR, /STOP au 36111$/],
    ['a British number, none for GB', 'en', PER_COUNTRY, { number: 'GB', campaign: 'FR' }, /Reply STOP to opt out$/],
    ['a number of no known country', 'fr', '36111', { number: null, campaign: 'FR' }, /Répondez STOP pour/],
    ['no country given', 'fr', '36111', undefined, /Répondez STOP pour ne plus recevoir de SMS$/],
  ] as const)('SMS STOP mention: %s', (_name, language, smsStopNumber, countries, ending) => {
    const obligations = ob('IDENTIFY_SENDER', 'MARK_AS_ADVERTISING', 'STOP_KEYWORD', 'DISCLOSE_DATA_SOURCE');
    const m = renderMessage(
      template('sms', { language, smsStopNumber }),
      ctx({ channel: 'sms', obligations, ...(countries ? { countries } : {}) }),
    );
    expect(m.kind === 'sms' && m.text).toMatch(ending);
  });

  // UWG §7 Abs. 3 Nr. 4 / TKG 2021 §174 Abs. 4 Z 3: a text sent under the client exception says, every time, that the
  // customer may object at no cost beyond sending; "STOP an 36111" alone names a way to stop, not that right.
  const purchase = [
    { at: '2025-11-20T15:00:00Z', type: 'data.collected', source: 'direct', informed: true },
    { at: '2025-11-20T15:00:00Z', type: 'purchase' },
  ];
  const confirmed = [
    ...purchase.slice(0, 1),
    { at: '2025-11-20T15:00:00Z', type: 'consent.given', channel: 'sms', method: 'double_opt_in' },
  ];
  it.each([
    [
      'DE',
      'sms',
      purchase,
      '36111',
      /Widerspruch jederzeit möglich, ohne andere Kosten als die Übermittlung zum Basistarif: STOP an 36111$/,
    ],
    [
      'AT',
      'sms',
      purchase,
      '36111',
      /Widerspruch jederzeit möglich, ohne andere Kosten als die Übermittlung zum Basistarif: STOP an 36111$/,
    ],
    [
      'AT',
      'mms',
      purchase,
      '',
      /Widerspruch jederzeit möglich, ohne andere Kosten als die Übermittlung zum Basistarif: Antworten Sie STOP$/,
    ],
    ['DE', 'sms', confirmed, '36111', /privacy Abmelden: STOP an 36111$/],
  ] as const)(
    'a real %s %s decision: the STOP mention states the right to object when the engine asks (%#)',
    (jurisdiction, channel, history, number, ending) => {
      const d = decide(
        {
          jurisdiction,
          at: '2026-03-03T10:30:00+01:00',
          message: { channel, offer: { similarToPurchases: true } },
          contact: { type: 'individual' },
          history,
        },
        packs,
      ) as Decision;
      expect(d.decision).toBe('allow');
      const m = renderMessage(
        template('sms', { language: 'de', smsStopNumber: number }),
        ctx({
          channel,
          obligations: d.obligations,
          basis: d.basis ?? '',
          links: null,
          countries: { number: jurisdiction, campaign: jurisdiction },
        }),
      );
      expect(m.carried.sort()).toEqual([...new Set(d.obligations.map((o) => o.code))].sort());
      expect(m.kind === 'sms' && m.text).toMatch(ending);
    },
  );

  // RGPD art. 21(4): the right to object "clearly and separately from any other information". It was filled inside
  // {{source}}, in the sentence after {{why}}: one paragraph of three statements.
  it('a real FR email to a bought-list contact: the right to object in a paragraph of its own (RGPD art. 21(4))', () => {
    const d = decide(
      {
        jurisdiction: 'FR',
        at: '2026-03-03T10:30:00+01:00',
        message: { channel: 'email' },
        contact: { type: 'individual' },
        history: [
          { at: '2025-11-20T15:00:00Z', type: 'data.collected', source: 'acquired', provider: 'DataBroker SAS' },
          { at: '2025-11-21T15:00:00Z', type: 'consent.given', channel: 'email', method: 'double_opt_in' },
        ],
      },
      packs,
    ) as Decision;
    expect(d.obligations.map((o) => o.code)).toContain('OBJECTION_NOTICE');
    const c = ctx({
      obligations: d.obligations,
      basis: d.basis ?? '',
      source: { kind: 'acquired', provider: 'DataBroker SAS' },
    });
    const m = email(template('email'), c);
    expect(m.carried).toContain('OBJECTION_NOTICE');
    const objection =
      'Vous pouvez vous opposer à tout moment, gratuitement, à l’utilisation de vos coordonnées à des fins de prospection : utilisez le lien de désinscription de ce message, ou écrivez à dpo@shop.example.';
    expect(m.html).toContain(
      '<p>Vous recevez ce message car vous avez accepté de recevoir nos offres par e-mail. Vos coordonnées nous ont été transmises par un tiers : DataBroker SAS.</p>' +
        `<p>${objection}</p>`,
    );
    expect(m.text.split('\n')).toContain(objection); // a line of its own
    expect(m.text).not.toMatch(/DataBroker SAS\. Vous pouvez/);
    // A template with no place for it cannot carry the obligation: that recipient gets nothing (fail closed).
    const bare = template('email');
    const without = { ...bare, email: { ...(bare.email as NonNullable<typeof bare.email>) } };
    without.email.html = without.email.html.replace('<p>{{objection}}</p>', '');
    expect(() => renderMessage(without, c)).toThrow('email.html lacks {{objection}}, needed for OBJECTION_NOTICE');
    // Details collected directly, no notice asked: the slot stays empty.
    expect(email().text.split('\n')).toContain('');
    expect(email().html).toContain('<p></p>');
  });

  it('a real FR SMS to a bought-list contact: the first message states the right to object (RGPD art. 21(4))', () => {
    const d = decide(
      {
        jurisdiction: 'FR',
        at: '2026-03-03T10:30:00+01:00',
        message: { channel: 'sms' },
        contact: { type: 'individual' },
        history: [
          { at: '2025-11-20T15:00:00Z', type: 'data.collected', source: 'acquired', provider: 'ListCo' },
          { at: '2025-11-21T15:00:00Z', type: 'consent.given', channel: 'sms', method: 'double_opt_in' },
        ],
      },
      packs,
    ) as Decision;
    expect(d.obligations.map((o) => o.code)).toContain('OBJECTION_NOTICE');
    const m = renderMessage(
      template('sms'),
      ctx({
        channel: 'sms',
        obligations: d.obligations,
        basis: d.basis ?? '',
        source: { kind: 'acquired', provider: 'ListCo' },
        links: null,
        countries: IN_FR,
      }),
    );
    expect(m.carried).toContain('OBJECTION_NOTICE');
    expect(m.kind === 'sms' && m.text).toMatch(
      /ListCo.*Opposition possible à tout moment, sans frais autres que ceux de l'envoi : STOP au 36111$/s,
    );
  });

  it('call script: announcement first, objection and the Bloctel notice while it applies', () => {
    const obligations = [
      ...ob('IDENTIFY_SENDER', 'ANNOUNCE_CALLER_AND_PURPOSE', 'DISCLOSE_DATA_SOURCE', 'OBJECTION_NOTICE'),
      {
        code: 'OBJECTION_NOTICE',
        message: 'Tell the consumer they may register for free on the Bloctel opposition list.',
      },
    ];
    const m = renderMessage(
      template('call', { agent: 'Léa' }),
      ctx({ channel: 'phone', obligations, basis: 'OPT_OUT_REGIME', links: null }),
    );
    expect(m.kind).toBe('call');
    const script = m.kind === 'call' ? m.script : '';
    expect(script).toMatch(/^Bonjour, je suis Léa et je vous appelle pour le compte de Boutique Exemple SAS/);
    expect(script).toContain('Nous vous appelons car vous n’avez pas fait opposition à nos offres par téléphone.');
    expect(script).toContain('Bloctel');
  });

  // A call is spoken: "you receive this message" is no sentence to say on the phone. Each language has its own call
  // wording for why the person is called and where their details came from (RGPD art. 13, 14), and says they may
  // object now, during the call (RGPD art. 21(4); C. consom. art. L221-16).
  const WRITTEN = /message|bericht|Nachricht/i;
  const CALLING: Record<string, RegExp> = {
    fr: /^Nous (vous )?appelons/,
    en: /^We are calling/,
    nl: /^Wij bellen/,
    de: /^Wir rufen/,
  };
  const DURING: Record<string, string> = {
    fr: 'pendant cet appel',
    en: 'during this call',
    nl: 'tijdens dit gesprek',
    de: 'in diesem Gespräch',
  };
  const WHY_KEYS = [
    ...['CONSENT', 'CLIENT_EXCEPTION', 'CONTRACT_IN_PROGRESS', 'OPT_OUT_REGIME'].map((b) => ['b2c', b] as const),
    ...['CONSENT', 'CLIENT_EXCEPTION', 'CONTRACT_IN_PROGRESS', 'B2B_RELATED', 'LEGAL_PERSON', 'OPT_OUT_REGIME'].map(
      (b) => ['b2b', b] as const,
    ),
  ];
  it.each(
    (['fr', 'en', 'nl', 'de'] as const).flatMap((lang) =>
      WHY_KEYS.map(([audience, basis]) => [lang, audience, basis] as const),
    ),
  )("call script in %s, %s %s: spoken wording, not a written message's", (language, audience, basis) => {
    const obligations = ob(
      'IDENTIFY_SENDER',
      'ANNOUNCE_CALLER_AND_PURPOSE',
      'DISCLOSE_DATA_SOURCE',
      'OBJECTION_NOTICE',
    );
    for (const source of [{ kind: 'direct' }, { kind: 'acquired', provider: 'ListCo' }, { kind: 'public' }] as const) {
      const m = renderMessage(
        template('call', { language, agent: 'Léa' }),
        ctx({ channel: 'phone', obligations, basis, audience, links: null, source: { provider: null, ...source } }),
      );
      const script = m.kind === 'call' ? m.script : '';
      expect(script, script).not.toMatch(WRITTEN);
      const why = script.split('\n')[1] ?? '';
      expect(why).toMatch(CALLING[language] as RegExp);
      if (source.kind !== 'direct') expect(why).toContain(DURING[language]);
    }
  });

  // A recorded message has no caller to say "no" to: it says it is recorded and names the key that stops further
  // calls (47 CFR 64.1200(b)(3); CPCE art. L34-5 al. 5), with no agent's name.
  it.each([
    ['fr', /^Ceci est un message enregistré de Boutique Exemple SAS\./, 'appuyez maintenant sur la touche 9'],
    ['en', /^This is a recorded message from Boutique Exemple SAS\./, 'press 9 now'],
    ['nl', /^Dit is een opgenomen bericht van Boutique Exemple SAS\./, 'Druk nu op 9'],
    ['de', /^Dies ist eine aufgezeichnete Nachricht von Boutique Exemple SAS\./, 'drücken Sie jetzt die Taste 9'],
  ] as const)('automated call script in %s: a recorded message with its opt-out key', (language, opening, key) => {
    const obligations = ob('IDENTIFY_SENDER', 'ANNOUNCE_CALLER_AND_PURPOSE', 'OBJECTION_NOTICE');
    const m = renderMessage(
      template('call', { language, agent: 'Léa', optOutKey: '9' }),
      ctx({ channel: 'automated_call', obligations, links: null }),
    );
    const script = m.kind === 'call' ? m.script : '';
    expect(script).toMatch(opening);
    expect(script).toContain(key);
    expect(script).not.toContain('Léa');
  });
});

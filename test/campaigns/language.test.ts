// A template has one language; its recipients' countries have theirs. A campaign says, per country, how many of its
// messages went in a language their recipients' country does not usually read (GDPR art. 12(1)), in the result and
// once on stderr, dry run or live, and sends to exactly the same people.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USUAL_LANGUAGES, usualLanguages, usuallyReads } from '../../src/domain/languages.js';
import { type CampaignDeps, type CampaignRow, runCampaign } from '../../src/services/campaigns/send.js';
import { openListsScreen } from '../../src/services/lists/lookup.js';
import { smtpMailer } from '../../src/services/mail.js';
import { TokenSigner } from '../../src/services/tokens.js';
import type { Store } from '../../src/store/store.js';
import { type MailSink, startMailSink } from '../e2e/support.js';
import { packs, tempDir, tempStore, write } from '../screening/helpers.js';
import { template } from './helpers.js';

/** Who is in the audience: their country, and whether they may get the message (DE, CH: double opt-in proven). */
const PEOPLE: [email: string, jurisdiction: string, consent: 'given' | 'refused'][] = [
  ['amelie@example.fr', 'FR', 'given'],
  ['dieter@example.de', 'DE', 'given'],
  ['doris@example.de', 'DE', 'given'],
  ['dirk@example.de', 'DE', 'refused'], // not sent to: not counted
  ['noor@example.nl', 'NL', 'given'],
  ['benoit@example.be', 'BE', 'given'], // French is one of Belgium's languages
  ['chantal@example.ch', 'CH', 'given'], // and of Switzerland's
];

async function seed(store: Store): Promise<void> {
  for (const [email, jurisdiction, consent] of PEOPLE) {
    const c = await store.createContact({ type: 'individual', jurisdiction, email });
    await store.appendEvents([
      {
        contactId: c.id,
        type: consent === 'given' ? 'consent.given' : 'consent.refused',
        at: '2026-01-10T10:00:00Z',
        data: { channel: 'email', ...(consent === 'given' ? { method: 'double_opt_in' } : {}) },
        recordedBy: 'test',
      },
    ]);
  }
}

async function* rows(): AsyncIterable<CampaignRow> {
  let line = 1;
  for (const [email] of PEOPLE) yield { row: { line: ++line, email }, vars: { firstName: email.split('@')[0] ?? '' } };
}

describe('usual languages', () => {
  it('knows the languages of every jurisdiction with a rule pack, as the law addresses its people', () => {
    for (const code of packs.keys()) expect(usualLanguages(code), code).not.toBeNull();
    expect(usualLanguages('be')).toEqual(['fr', 'nl', 'de']);
    expect(usuallyReads('CH', 'it')).toBe(true);
    expect(usuallyReads('AT', 'de-AT')).toBe(true);
    expect(usuallyReads('NL', 'fr')).toBe(false);
    expect(usuallyReads('GP', 'fr')).toBe(true); // an overseas department
    expect(usuallyReads('JP', 'en')).toBeNull(); // not known: no judgement
    expect(Object.values(USUAL_LANGUAGES).every((l) => l.length > 0)).toBe(true);
  });
});

describe('campaign send: the template’s language and the recipients’ countries', () => {
  let store: Store;
  let dir: string;
  let db: string;
  let sink: MailSink;
  let deps: CampaignDeps;
  beforeAll(async () => {
    ({ store, dir, db } = await tempStore());
    await seed(store);
    sink = await startMailSink();
    deps = {
      store,
      packs,
      lists: await openListsScreen(store, new Date()),
      signer: new TokenSigner([{ id: 'k1', secret: 'language-test-secret-0123456789' }]),
      publicUrl: 'https://assent.example',
      mailFrom: 'Boutique <shop@example.com>',
      mailer: smtpMailer(sink.url, 'Boutique <shop@example.com>'),
    };
  });
  afterAll(async () => {
    deps?.mailer?.close();
    await store?.close();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const options = { template: template('email'), channel: 'email' as const, purpose: 'offers', jurisdiction: null };

  it('counts, per country, the messages in a language it does not usually read; sends to the same people', async () => {
    expect(options.template.language).toBe('fr');
    const out = join(tempDir(), 'dry');
    const dry = await runCampaign(rows(), { ...options, dryRunDir: out }, deps);
    expect(dry.sent).toBe(6);
    expect(dry.languageMismatch).toEqual({ DE: 2, NL: 1 });
    expect(JSON.parse(readFileSync(join(out, 'campaign.json'), 'utf8')).languageMismatch).toEqual({ DE: 2, NL: 1 });
    const live = await runCampaign(rows(), { ...options, campaignId: 'lang-1' }, deps);
    expect(live.sent).toBe(6);
    expect(live.languageMismatch).toEqual({ DE: 2, NL: 1 });
    expect(sink.mails.flatMap((m) => m.to).sort()).toEqual(
      PEOPLE.filter(([, , c]) => c === 'given')
        .map(([e]) => e)
        .sort(),
    );
    // A German template: the French, Dutch and (German-reading) Belgian and Swiss recipients are not counted alike.
    const german = await runCampaign(
      rows(),
      { ...options, template: template('email', { language: 'de' }), dryRunDir: join(tempDir(), 'de') },
      deps,
    );
    expect(german.languageMismatch).toEqual({ FR: 1, NL: 1 });
  });

  it('says nothing when the template is in every recipient’s country’s language', async () => {
    const only = async function* (): AsyncIterable<CampaignRow> {
      yield { row: { line: 2, email: 'amelie@example.fr' }, vars: { firstName: 'Amélie' } };
      yield { row: { line: 3, email: 'benoit@example.be' }, vars: { firstName: 'Benoît' } };
    };
    const r = await runCampaign(only(), { ...options, dryRunDir: join(tempDir(), 'fr') }, deps);
    expect(r.sent).toBe(2);
    expect(r.languageMismatch).toBeUndefined();
  });

  it('the CLI says it once on stderr and in its JSON, for a dry run', () => {
    const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
    const tpl = write(dir, 'tpl.json', [JSON.stringify(template('email'))]);
    const audience = write(dir, 'audience.csv', ['email,firstName', ...PEOPLE.map(([e]) => `${e},X`)]);
    const r = spawnSync(
      process.execPath,
      [bin, '--db', db, 'campaign', 'send', '--template', tpl, '--audience', audience, '--channel', 'email'].concat([
        '--purpose',
        'offers',
        '--dry-run',
        join(tempDir(), 'cli'),
      ]),
      { encoding: 'utf8', env: { ...process.env, SMTP_URL: '', ASSENT_PUBLIC_URL: 'https://assent.example' } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: true, sent: 6, languageMismatch: { DE: 2, NL: 1 } });
    expect(r.stderr.match(/template's language/g)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /note: 3 messages written in "fr", the template's language, to recipients whose country does not usually read it \(DE 2, NL 1\)/,
    );
    expect(r.stderr).toContain('GDPR art. 12(1)');
  });
});

describe('access report language, from the same table', () => {
  it('is the jurisdiction’s first usual language Assent speaks, else English', async () => {
    const { reportLanguage } = await import('../../src/services/access-wording.js');
    const of = (jurisdiction: string) => reportLanguage({ seen: [], jurisdiction });
    expect(['FR', 'BE', 'LU', 'MC', 'NL', 'DE', 'AT', 'CH', 'LI'].map(of)).toEqual([
      'fr',
      'fr',
      'fr',
      'fr',
      'nl',
      'de',
      'de',
      'de',
      'de',
    ]);
    expect(['ES', 'IT', 'GB', 'US', 'JP'].map(of)).toEqual(['en', 'en', 'en', 'en', 'en']);
    expect(of('GP')).toBe('fr'); // Guadeloupe reads French (it read English before the table was shared)
    expect(reportLanguage({ asked: 'nl', seen: ['de'], jurisdiction: 'FR' })).toBe('nl');
  });
});

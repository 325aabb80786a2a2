// The data of bench/screen, generated in one run and streamed (nothing holds it all): stored contacts with their
// ledger histories (through the store, in batches), a one-number-a-line opposition list, an audience CSV, and the
// CSV exports the DuckDB baseline loads (contacts, and the channel-bearing events of their histories).
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { NewLedgerEvent } from '../src/domain/ledger.js';
import type { NewContact, Store } from '../src/store/store.js';
import { rng } from './ingest-workload.js';

export interface ScreenWorkload {
  /** Stored contacts; the opposition list and the audience have as many lines. */
  rows: number;
  eventsPerContact: number;
  seed?: number;
}

/** Stored contact k's number: +33 6 10 followed by k on 6 digits (French mobiles, all valid numbers). */
export const storedPhone = (k: number): string => `+3361${String(k).padStart(7, '0')}`;
/** Numbers no stored contact has (+33 7 …): on the list or in the audience as strangers. */
export const unknownPhone = (j: number): string => `+3377${String(j).padStart(7, '0')}`;
/** Stored contacts on the list: 3 in 10. */
export const listedStored = (k: number): boolean => k % 10 < 3;

/** "06 10 00 12 34" for "+33610001234": half the audience is written the way a CRM export writes numbers. */
const national = (e164: string): string =>
  `0${e164.slice(3).replace(/(\d)(\d{2})(\d{2})(\d{2})(\d{2})/, '$1 $2 $3 $4 $5')}`;

class Lines {
  private readonly out: WriteStream;
  private buffer: string[] = [];
  constructor(path: string, header?: string) {
    this.out = createWriteStream(path);
    if (header !== undefined) this.buffer.push(header);
  }
  async add(line: string): Promise<void> {
    this.buffer.push(line);
    if (this.buffer.length >= 10_000) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const ok = this.out.write(`${this.buffer.join('\n')}\n`);
    this.buffer = [];
    if (!ok) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

const AGENT = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const DAY = 86_400_000;
const FROM = Date.UTC(2023, 0, 1);

/**
 * Creates `rows` contacts (75 % FR, 25 % DE; 80 % individuals) with `eventsPerContact` ledger events each
 * (consent to phone 35 %, to email 20 %, to SMS 10 %, objection to phone 10 %, purchase 25 %, with form or API
 * evidence), contacts in batches of 5,000 and events in batches of 1,000; writes `contacts.csv` and `events.csv`
 * for the baseline as it goes. Returns the events appended.
 */
export async function storeContacts(
  store: Store,
  w: ScreenWorkload,
  files: { contacts: string; events: string },
  onBatch?: (done: number) => void,
): Promise<number> {
  const r = rng(w.seed ?? 17);
  const contactsCsv = new Lines(files.contacts, 'id,phone,jurisdiction,type');
  const eventsCsv = new Lines(files.events, 'contact_id,type,channel,at');
  let appended = 0;
  let pending: NewLedgerEvent[] = [];
  for (let start = 0; start < w.rows; start += 5_000) {
    const batch: NewContact[] = [];
    for (let k = start; k < Math.min(w.rows, start + 5_000); k++) {
      batch.push({
        type: k % 5 === 0 ? 'professional' : 'individual',
        jurisdiction: k % 4 === 0 ? 'DE' : 'FR',
        identifiers: [
          { kind: 'phone', value: storedPhone(k) },
          { kind: 'external', value: `crm-${k}` },
        ],
      });
    }
    const created = await store.createContacts(batch);
    for (const [i, c] of created.entries()) {
      const k = start + i;
      await contactsCsv.add(`${c.id},${storedPhone(k)},${c.jurisdiction},${c.type}`);
      for (let e = 0; e < w.eventsPerContact; e++) {
        const at = new Date(FROM + Math.floor(r() * 1000 * DAY) + Math.floor(r() * 86_400) * 1000).toISOString();
        const roll = r();
        const [type, channel, data] =
          roll < 0.35
            ? ['consent.given', 'phone', { channel: 'phone', purpose: 'marketing', method: 'checkbox' }]
            : roll < 0.55
              ? ['consent.given', 'email', { channel: 'email', purpose: 'marketing', method: 'double_opt_in' }]
              : roll < 0.65
                ? ['consent.given', 'sms', { channel: 'sms', purpose: 'marketing', method: 'checkbox' }]
                : roll < 0.75
                  ? ['objection', 'phone', { channel: 'phone' }]
                  : ['purchase', '', { category: 'shoes' }];
        pending.push({
          contactId: c.id,
          type: type as NewLedgerEvent['type'],
          at,
          data,
          evidence: {
            method: type === 'purchase' ? 'api' : 'form',
            pageUrl: `https://shop.example/preferences/${Math.floor(r() * 5000)}`,
            ip: `203.0.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`,
            userAgent: AGENT,
          },
          recordedBy: 'bench',
          idempotencyKey: null,
        });
        if (channel !== '') await eventsCsv.add(`${c.id},${type},${channel},${at}`);
        if (pending.length >= 1_000) {
          appended += (await store.appendEvents(pending)).length;
          pending = [];
        }
      }
    }
    onBatch?.(start + created.length);
  }
  if (pending.length > 0) appended += (await store.appendEvents(pending)).length;
  await contactsCsv.close();
  await eventsCsv.close();
  return appended;
}

/** The opposition list, one E.164 number a line: 3 in 10 stored contacts, and strangers to make up `rows`. */
export async function writeList(path: string, w: ScreenWorkload): Promise<void> {
  const out = new Lines(path);
  let n = 0;
  for (let k = 0; k < w.rows; k++) {
    if (!listedStored(k)) continue;
    await out.add(storedPhone(k));
    n++;
  }
  for (let j = 0; n < w.rows; j++, n++) await out.add(unknownPhone(j));
  await out.close();
}

/**
 * The audience, `phone,name,segment`: 70 % stored contacts and 30 % strangers (drawn from twice as many numbers
 * as the list holds strangers: about half of them on the list), half the numbers in national writing, and one
 * row in 1,000 with a number that cannot exist (INVALID_ROW).
 */
export async function writeAudience(path: string, w: ScreenWorkload): Promise<void> {
  const r = rng((w.seed ?? 17) + 1);
  const out = new Lines(path, 'phone,name,segment');
  const strangers = Math.max(1, 2 * (w.rows - Math.ceil((w.rows * 3) / 10)));
  for (let i = 0; i < w.rows; i++) {
    const roll = r();
    let phone: string;
    if (roll < 0.001) phone = '12345';
    else if (roll < 0.7) phone = storedPhone(Math.floor(r() * w.rows));
    else phone = unknownPhone(Math.floor(r() * strangers));
    if (i % 2 === 1 && phone.startsWith('+33')) phone = national(phone);
    await out.add(`${phone},Person ${i},${i % 3 === 0 ? 'vip' : 'standard'}`);
  }
  await out.close();
}

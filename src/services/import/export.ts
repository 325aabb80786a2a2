import type { Store } from '../../store/store.js';

/**
 * Every consent text, then every contact (merged records are part of their survivor) with its identifiers and full
 * ledger, each event with its evidence, seq and hashes: one JSON line per text (`{"consentText": {…}}`) and per
 * contact, written a page at a time so memory stays bounded. An erased contact comes too, with its `erasedAt`, no
 * identifier (they were erased) and its ledger: the proof of each consent and opt-out the law asks to keep after the
 * erasure (GDPR art. 7(1), 17(3)(e)) moves with the database; `assent import` re-creates it erased. The texts come first so that an import meets the
 * wording before the events citing it (evidence.textId and textSha256: the proof of what the person was shown).
 * `assent import` reads these lines back (the stored fields are ignored). Last, the company suppression list
 * (`{"suppression": {hash, reason, at}}`): the hashes of erased and objecting people, so that a move to another
 * database does not let a re-imported or bought file bring them back. It comes after the contacts, whose rows an
 * import would otherwise refuse when one of their addresses is on it. Then the lifts (`{"suppressionLift": {hash,
 * reason, suppressedAt, at, via, by}}`): the record of each hash taken off the list, of why a person who had objected
 * or been erased is reachable again, which the DPO must still be able to show after a move.
 */
export async function exportContacts(
  store: Store,
  write: (text: string) => Promise<void>,
  pageSize = 500,
): Promise<{ contacts: number; erased: number; texts: number; suppressions: number; lifts: number }> {
  const texts = await store.listConsentTexts();
  for (const t of texts) await write(`${JSON.stringify({ consentText: t })}\n`);
  let after: string | null = null;
  let contacts = 0;
  let erased = 0;
  for (;;) {
    const page = await store.listContacts({ after, limit: pageSize });
    if (page.length === 0) break;
    const histories = await store.historiesOf(page.map((c) => c.id));
    await write(page.map((c) => `${JSON.stringify({ ...c, events: histories.get(c.id) ?? [] })}\n`).join(''));
    contacts += page.length;
    erased += page.filter((c) => c.erasedAt !== undefined).length;
    after = page[page.length - 1]?.id ?? null;
  }
  // The suppression list, then its lifts: both read a page of hashes at a time.
  const byHash = async <T extends { hash: string }>(
    list: (page: { after: string | null; limit: number }) => Promise<T[]>,
    field: 'suppression' | 'suppressionLift',
  ): Promise<number> => {
    let count = 0;
    let last: string | null = null;
    for (;;) {
      const page = await list({ after: last, limit: pageSize });
      if (page.length === 0) return count;
      await write(page.map((entry) => `${JSON.stringify({ [field]: entry })}\n`).join(''));
      count += page.length;
      last = page[page.length - 1]?.hash ?? null;
    }
  };
  const suppressions = await byHash((p) => store.listSuppressions(p), 'suppression');
  const lifts = await byHash((p) => store.listSuppressionLifts(p), 'suppressionLift');
  return { contacts, erased, texts: texts.length, suppressions, lifts };
}

import type { Store } from '../../store/store.js';

/**
 * Every live contact (merged records are part of their survivor) with its identifiers and full ledger, each event
 * with its evidence, seq and hashes: one JSON line per contact, written a page at a time so memory stays bounded.
 * `assent import` reads these lines back (the stored fields are ignored). Returns the number of contacts.
 */
export async function exportContacts(
  store: Store,
  write: (text: string) => Promise<void>,
  pageSize = 500,
): Promise<number> {
  let after: string | null = null;
  let count = 0;
  for (;;) {
    const page = await store.listContacts({ after, limit: pageSize });
    if (page.length === 0) return count;
    const histories = await store.historiesOf(page.map((c) => c.id));
    await write(page.map((c) => `${JSON.stringify({ ...c, events: histories.get(c.id) ?? [] })}\n`).join(''));
    count += page.length;
    after = page[page.length - 1]?.id ?? null;
  }
}

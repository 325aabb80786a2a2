// A campaign's audience CSV: the screening's reader (src/services/screening/csv-files.ts), every column also kept
// as a recipient variable for the template (`first_name` is `{{first_name}}` and `{{firstName}}`).
import { openAudience } from '../screening/csv-files.js';
import type { CampaignRow } from './send.js';

const camel = (name: string): string => name.replace(/[_-]+([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The rows of an audience file with their variables; `close` stops reading. */
export async function campaignAudience(
  file: string,
  delimiter = ',',
): Promise<{
  rows: AsyncIterable<CampaignRow>;
  columns: ReadonlySet<string>;
  close: () => void;
  /** SHA-256 of the bytes read: the whole file's once the rows are read to the end. */
  sha256: () => string;
}> {
  const audience = await openAudience(file, delimiter);
  const names = audience.header.map((h) => h.trim());
  const columns = new Set(names.flatMap((n) => [n, camel(n)]));
  async function* rows(): AsyncIterable<CampaignRow> {
    for await (const { row, source } of audience.rows) {
      const vars: Record<string, string> = {};
      names.forEach((name, i) => {
        const value = source.cells[i] ?? '';
        vars[name] = value;
        vars[camel(name)] ??= value;
      });
      yield { row, vars };
    }
  }
  return { rows: rows(), columns, close: () => audience.close(), sha256: () => audience.sha256() };
}

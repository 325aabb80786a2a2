// The baseline of bench/screen: what a team would assemble with DuckDB (@duckdb/node-api) over the same data. The
// contacts, their channel events and the list are loaded from the bench's CSV exports into tables (timed apart);
// the screening proper reads the audience CSV, normalises its numbers with string functions (no validation), joins
// the contacts and their phone consents, anti-joins the opposition list, and writes allowed/excluded CSVs.
// Simplified law: allowed = stored, not on the list, last phone event not an objection, and a phone consent
// unless the contact is French (Bloctel era: opt-out) or a professional.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export interface DuckFiles {
  contacts: string;
  events: string;
  list: string;
  audience: string;
  outDir: string;
}

export interface DuckResult {
  threads: number;
  loadMs: number;
  screenMs: number;
  allowed: number;
  excluded: number;
}

const q = (path: string): string => `'${path.replaceAll("'", "''")}'`;

export async function duckdbBaseline(files: DuckFiles, threads: number): Promise<DuckResult> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const db = await instance.connect();
  try {
    const t0 = performance.now();
    await db.run(
      `CREATE TABLE contacts AS SELECT * FROM read_csv(${q(files.contacts)}, header = true,
         columns = {'id': 'VARCHAR', 'phone': 'VARCHAR', 'jurisdiction': 'VARCHAR', 'type': 'VARCHAR'})`,
    );
    await db.run(
      `CREATE TABLE events AS SELECT * FROM read_csv(${q(files.events)}, header = true,
         columns = {'contact_id': 'VARCHAR', 'type': 'VARCHAR', 'channel': 'VARCHAR', 'at': 'TIMESTAMP'})`,
    );
    await db.run(
      `CREATE TABLE list AS SELECT * FROM read_csv(${q(files.list)}, header = false, columns = {'number': 'VARCHAR'})`,
    );
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    await db.run(`
      CREATE TEMP TABLE screened AS
      WITH audience AS (
        SELECT row_number() OVER () + 1 AS line, phone, name, segment,
               CASE WHEN phone LIKE '+%' THEN replace(phone, ' ', '')
                    ELSE '+33' || substr(replace(phone, ' ', ''), 2) END AS e164
        FROM read_csv(${q(files.audience)}, header = true, all_varchar = true)
      ),
      consents AS (
        SELECT contact_id, arg_max(type, "at") AS last FROM events WHERE channel = 'phone' GROUP BY contact_id
      ),
      known AS (
        SELECT a.*, c.jurisdiction, c.type, k.last
        FROM audience a JOIN contacts c ON c.phone = a.e164 LEFT JOIN consents k ON k.contact_id = c.id
      ),
      allowed AS (
        SELECT known.* FROM known ANTI JOIN list ON list.number = known.e164
        WHERE coalesce(last, '') <> 'objection'
          AND (jurisdiction = 'FR' OR type = 'professional' OR last = 'consent.given')
      )
      SELECT a.line, a.phone, a.name, a.segment,
             CASE WHEN al.line IS NOT NULL THEN NULL
                  WHEN c.id IS NULL THEN 'CONTACT_NOT_FOUND'
                  WHEN l.number IS NOT NULL THEN 'OPPOSITION_LIST'
                  ELSE 'NO_CONSENT' END AS reason
      FROM audience a
      LEFT JOIN allowed al ON al.line = a.line
      LEFT JOIN contacts c ON c.phone = a.e164
      LEFT JOIN list l ON l.number = a.e164`);
    await db.run(
      `COPY (SELECT line, phone, name, segment FROM screened WHERE reason IS NULL ORDER BY line)
         TO ${q(join(files.outDir, 'allowed.csv'))} (HEADER)`,
    );
    await db.run(
      `COPY (SELECT line, phone, name, segment, reason FROM screened WHERE reason IS NOT NULL ORDER BY line)
         TO ${q(join(files.outDir, 'excluded.csv'))} (HEADER)`,
    );
    const screenMs = performance.now() - t1;
    const counts = await db.runAndReadAll(
      `SELECT count(*) FILTER (WHERE reason IS NULL)::INTEGER, count(*) FILTER (WHERE reason IS NOT NULL)::INTEGER FROM screened`,
    );
    const [allowed, excluded] = (counts.getRows()[0] ?? [0, 0]) as number[];
    return { threads, loadMs, screenMs, allowed: allowed ?? 0, excluded: excluded ?? 0 };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

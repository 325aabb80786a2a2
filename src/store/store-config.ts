// Where the store is, readable without loading the database drivers (the CLI checks a file before opening it).

export interface StoreConfig {
  /** postgres://… for PostgreSQL; otherwise the SQLite file. */
  databaseUrl: string | null;
  sqliteFile: string;
  /** SQLite: hash large ledger batches on a worker thread while SQLite writes (default true). */
  hashInWorker?: boolean;
}

/** The SQLite file a config names (`sqlite:` URL or `sqliteFile`; `:memory:` possible), or null for PostgreSQL. */
export function sqliteFileOf(config: StoreConfig): string | null {
  const url = config.databaseUrl;
  if (url !== null && /^postgres(ql)?:\/\//.test(url)) return null;
  return url?.startsWith('sqlite:') ? url.slice('sqlite:'.length) : config.sqliteFile;
}

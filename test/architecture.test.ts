// The layers, inner to outer: domain → policy → store → services → adapters (DEVELOPERS.md). An inner layer never
// imports an outer one, so the engine stays pure and the store knows nothing of HTTP. Read from the sources.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const LAYERS = ['domain', 'policy', 'store', 'services', 'adapters'] as const;

/** The layer of a file under src/, or null for the top-level modules (config.ts), which only adapters and services use. */
function layerOf(file: string): number | null {
  const top = relative(SRC, file).split('/')[0] as string;
  const i = LAYERS.indexOf(top as (typeof LAYERS)[number]);
  return i < 0 ? null : i;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('layers', () => {
  it('no module imports a layer outer than its own', () => {
    const breaches: string[] = [];
    for (const file of sources(SRC)) {
      const own = layerOf(file);
      if (own === null) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
        const target = resolve(dirname(file), m[1] as string);
        const theirs = layerOf(target);
        // Top-level modules (config) sit with the services: the engine and the store never read configuration.
        const rank = theirs ?? LAYERS.indexOf('services');
        if (rank > own) breaches.push(`${relative(SRC, file)} imports ${m[1]}`);
      }
    }
    expect(breaches).toEqual([]);
  });
});

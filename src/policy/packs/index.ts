import { type CompiledPack, compilePack } from '../compile.js';
import type { PackRegistry } from '../evaluate.js';
import type { RulePack } from '../rule-pack.js';
import { AT } from './at.js';
import { CH } from './ch.js';
import { DE } from './de.js';
import { FR } from './fr.js';

/** Every shipped pack, in the order of the contract's priorities. */
export const PACKS: readonly RulePack[] = [FR, DE, AT, CH];

/** Compiles packs once; a malformed pack throws here, at start-up, never mid-decision. */
export function buildRegistry(packs: readonly RulePack[] = PACKS): PackRegistry {
  return new Map<string, CompiledPack>(packs.map((p) => [p.jurisdiction, compilePack(p)]));
}

import { type CompiledPack, compilePack } from '../compile.js';
import type { PackRegistry } from '../evaluate.js';
import type { RulePack } from '../rule-pack.js';
import { namedInRules } from '../value-warnings.js';
import { AT } from './at.js';
import { BE } from './be.js';
import { CH } from './ch.js';
import { DE } from './de.js';
import { ES } from './es.js';
import { FR } from './fr.js';
import { GB } from './gb.js';
import { IT } from './it.js';
import { NL } from './nl.js';
import { US } from './us.js';

/** Every shipped pack, in the order of the contract's priorities. */
export const PACKS: readonly RulePack[] = [FR, DE, AT, CH, BE, NL, ES, IT, GB, US];

/** Compiles packs once; a malformed pack throws here, at start-up, never mid-decision. */
export function buildRegistry(packs: readonly RulePack[] = PACKS): PackRegistry {
  return new Map<string, CompiledPack>(packs.map((p) => [p.jurisdiction, compilePack(p)]));
}

/**
 * The sectors some rule of these packs names (sector bans, sector-bound exceptions): the only values of
 * `message.offer.sector` that change a decision. A campaign or screening naming another is a typo that would let a
 * banned offer through (`energy_renovaton`), and is refused there; a decision request may carry any sector.
 */
export function knownSectors(packs: readonly RulePack[] = PACKS): string[] {
  return [...new Set(packs.flatMap((pack) => [...namedInRules(pack).sectors]))].sort();
}

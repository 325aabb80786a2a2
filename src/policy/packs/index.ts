import { type CompiledPack, compilePack } from '../compile.js';
import type { PackRegistry } from '../evaluate.js';
import type { RulePack } from '../rule-pack.js';
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

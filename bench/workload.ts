// A deterministic mix of typical decision requests (0–10 history events) over every pack and channel.
import { CHANNELS } from '../src/domain/channels.js';
import { rng } from './ingest-workload.js';

const EVENTS = [
  { type: 'data.collected', source: 'direct', informed: true },
  { type: 'consent.given', channel: 'email', method: 'checkbox' },
  { type: 'consent.given', channel: ['sms', 'email'], purpose: 'offers', method: 'double_opt_in' },
  { type: 'consent.requested', channel: 'email' },
  { type: 'consent.confirmed', channel: 'email' },
  { type: 'purchase', category: 'shoes' },
  { type: 'interaction', kind: 'click' },
  { type: 'message.opened' },
  { type: 'call', outcome: 'no_answer' },
  { type: 'account.created' },
  { type: 'objection', channel: 'sms' },
  { type: 'contract.started', contract: 'c-1' },
];

/** The mix the figures of docs/benchmarks.md were first measured on (France weighs three times). */
export const FIRST_JURISDICTIONS = ['FR', 'FR', 'FR', 'DE', 'AT', 'CH'] as const;
/** Every pack once. */
export const ALL_JURISDICTIONS = ['FR', 'DE', 'AT', 'CH', 'BE', 'NL', 'ES', 'IT', 'GB', 'US'] as const;

/** `count` requests as objects; the same seed gives the same requests. */
export function requests(count: number, seed = 42, jurisdictions: readonly string[] = FIRST_JURISDICTIONS): object[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const out: object[] = [];
  for (let i = 0; i < count; i++) {
    const history = [];
    const n = Math.floor(r() * 11);
    for (let k = 0; k < n; k++) {
      const day = 1 + Math.floor(r() * 900);
      history.push({ at: new Date(Date.UTC(2024, 0, day, 9, 30)).toISOString(), ...pick(EVENTS) });
    }
    out.push({
      id: `r-${i}`,
      jurisdiction: pick(jurisdictions),
      at: new Date(Date.UTC(2026, 0, 5) + Math.floor(r() * 330) * 86_400_000 + 9 * 3_600_000).toISOString(),
      message: {
        channel: pick(CHANNELS),
        purpose: pick(['marketing', 'offers', 'newsletter']),
        offer: { similarToPurchases: r() < 0.5, relatedToProfession: r() < 0.3 },
      },
      contact: {
        type: r() < 0.8 ? 'individual' : 'professional',
        lists: r() < 0.1 ? [{ name: 'bloctel', since: '2025-01-01' }] : [],
      },
      history,
    });
  }
  return out;
}

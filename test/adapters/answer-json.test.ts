import { describe, expect, it } from 'vitest';
import { requests } from '../../bench/workload.js';
import { answerJson } from '../../src/adapters/answer-json.js';
import { decide } from '../../src/policy/decide.js';
import { buildRegistry } from '../../src/policy/packs/index.js';

describe('answerJson', () => {
  it('writes exactly what JSON.stringify writes, for allows, denies and errors', () => {
    const packs = buildRegistry();
    const sample = [...requests(2_000, 7), { id: 'bad', jurisdiction: 'FR' }];
    for (const r of sample) {
      const answer = decide(r, packs);
      expect(answerJson(answer)).toBe(JSON.stringify(answer));
    }
  });
});

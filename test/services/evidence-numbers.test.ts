// Evidence is kept as proof as it was sent: a number JSON cannot carry exactly is refused, naming where it is.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/services/import/run-import.js';
import { expectProblem, openTestApp, snapshot, type TestApp } from '../http/helpers.js';
import { options, rejectsOf, tempDir, write } from '../import/helpers.js';

const dir = tempDir();
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp({});
  await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr' });
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

// JSON text as sent: JSON.parse rounds 9007199254740993 (2^53 + 1) to 2^53, and 1e400 to Infinity (stored as null).
const CASES = [
  { name: 'an integer past 2^53', evidence: '{"callId":9007199254740993}', path: 'callId' },
  { name: 'one nested in a list', evidence: '{"call":{"ids":[1,-12345678901234567890]}}', path: 'call/ids/1' },
  { name: 'a number past the largest double', evidence: '{"method":"call","duration":1e400}', path: 'duration' },
];

describe('unsafe numbers in evidence', () => {
  it.each(CASES)('POST /v1/events refuses $name, naming the field', async ({ evidence, path }) => {
    const before = await snapshot(t.store);
    const event = `{"contact":{"email":"ana@example.fr"},"type":"consent.given","at":"2025-06-01T10:00:00Z","channel":"email","evidence":${evidence}}`;
    const res = await t.call({
      method: 'POST',
      url: '/v1/events',
      headers: { 'content-type': 'application/json' },
      payload: event,
    });
    expectProblem(res, 400, `/events/0/evidence/${path}`);
    expect(res.json().detail).toMatch(new RegExp(`^events\\.0\\.evidence\\.${path.replaceAll('/', '\\.')} is `));
    expect(res.json().detail).toContain('send it as a string');
    expect(await snapshot(t.store)).toBe(before);
  });

  it('an import rejects the row, naming the field, and takes the others', async () => {
    const line = (n: number, evidence: string) =>
      `{"email":"p${n}@example.fr","jurisdiction":"FR","events":[{"type":"consent.given","at":"2025-06-01","channel":"email","evidence":${evidence}}]}`;
    const file = write(dir, 'calls.ndjson', [
      line(1, '{"callId":"9007199254740993"}'),
      ...CASES.map((c, i) => line(i + 2, c.evidence)),
      line(9, '{"callId":9007199254740991}'),
    ]);
    const outcome = await importFile(t.store, options(file));
    expect(outcome).toMatchObject({ created: 2 });
    expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason.split(' is ')[0]])).toEqual([
      ['2', 'events.0.evidence.callId'],
      ['3', 'events.0.evidence.call.ids.1'],
      ['4', 'events.0.evidence.duration'],
    ]);
  });
});

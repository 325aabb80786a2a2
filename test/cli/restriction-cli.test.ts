// `assent rights lift` and `assent decide` on a restricted contact (GDPR art. 18): PROCESSING_RESTRICTED from the
// receipt of the request, until it is lifted with the day the person was told (art. 18(3)).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assent-cli-'));
const db = join(dir, 'assent.db');
const run = (args: string[], input = '') =>
  spawnSync(process.execPath, [bin, '--db', db, ...args], { input, encoding: 'utf8' });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a restriction from the command line', () => {
  it('stops decisions from receipt, keeps them stopped once granted, and lifts only with --informed', () => {
    expect(run(['contacts', 'add', '-j', 'FR', '--email', 'ana@example.fr']).status).toBe(0);
    expect(run(['contacts', 'add', '-j', 'FR', '--email', 'bob@example.fr']).status).toBe(0);
    for (const email of ['ana@example.fr', 'bob@example.fr']) {
      const consent = { contact: email, type: 'consent.given', at: '2026-10-01T10:00:00Z', channel: 'email' };
      expect(run(['events', 'add'], JSON.stringify(consent)).status).toBe(0);
    }
    const ask = (email: string) => JSON.stringify({ contact: { email }, message: { channel: 'email' } });
    const decide = (email: string) => JSON.parse(run(['decide'], ask(email)).stdout);
    expect(decide('ana@example.fr')).toMatchObject({ decision: 'allow' });

    const added = run(['rights', 'add', 'ana@example.fr', '--kind', 'restriction', '--received', '2026-11-02']);
    const request = JSON.parse(added.stdout) as { id: string };
    expect(decide('ana@example.fr')).toMatchObject({
      error: {
        code: 'PROCESSING_RESTRICTED',
        message: expect.stringContaining('since 2026-11-02'),
        path: '/contact/email',
      },
    });
    expect(decide('bob@example.fr')).toMatchObject({ decision: 'allow' });

    const early = run(['rights', 'lift', request.id, '--informed', '2026-11-20']);
    expect([early.status, early.stderr]).toEqual([5, expect.stringMatching(/is not answered yet/)]);
    expect(run(['rights', 'answer', request.id, '--status', 'done', '--answer', 'restricted']).status).toBe(0);
    expect(decide('ana@example.fr')).toMatchObject({ error: { code: 'PROCESSING_RESTRICTED' } });

    const uninformed = run(['rights', 'lift', request.id]);
    expect([uninformed.status, uninformed.stderr]).toEqual([64, expect.stringMatching(/--informed/)]);
    const future = run(['rights', 'lift', request.id, '--informed', '2999-01-01']);
    expect([future.status, future.stderr]).toEqual([64, expect.stringMatching(/^assent: --informed is in the future/)]);
    const lifted = run(['rights', 'lift', request.id, '--informed', '2026-11-20', '--by', 'dpo']);
    expect(lifted.status, lifted.stderr).toBe(0);
    expect(JSON.parse(lifted.stdout)).toMatchObject({ liftedBy: 'dpo', informedAt: '2026-11-20T00:00:00.000Z' });
    expect(decide('ana@example.fr')).toMatchObject({ decision: 'allow' });
    const again = run(['rights', 'lift', request.id, '--informed', '2026-11-20']);
    expect([again.status, again.stderr]).toEqual([5, expect.stringMatching(/lifted already/)]);
    expect(run(['rights', 'lift', 'nope', '--informed', '2026-11-20']).status).toBe(4);
  }, 60_000);
});

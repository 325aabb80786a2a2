// What the API answers for the database's own errors: the data refused is the request's fault (400), a server down
// or busy is worth retrying (503, the writer lock's timeout among them), anything else an internal error.
import { describe, expect, it } from 'vitest';
import { PROBLEMS, toProblem } from '../../src/adapters/http/problems.js';

const pg = (code: string, message = 'x') => Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('toProblem for PostgreSQL errors', () => {
  it.each([
    [pg('22021', 'invalid byte sequence for encoding "UTF8": 0x00'), 400],
    [pg('23505', 'duplicate key value violates unique constraint'), 400],
    [pg('55P03', 'canceling statement due to lock timeout'), 503],
    [pg('57P01', 'terminating connection due to administrator command'), 503],
    [pg('53100', 'could not extend file: No space left on device'), 503],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 503],
    [pg('42P01', 'relation "x" does not exist'), 500],
    [new Error('something else'), 500],
  ])('%s → %i', (error, status) => {
    const problem = toProblem(error);
    expect(PROBLEMS[problem.code].status).toBe(status);
  });

  it('says the SQLSTATE, and never the statement', () => {
    expect(toProblem(pg('55P03', 'canceling statement due to lock timeout')).message).toBe(
      'the database cannot take the request now (SQLSTATE 55P03): retry later',
    );
  });
});

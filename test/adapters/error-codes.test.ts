// The one error registry: each adapter's part of it, and a store's refusal under the same code in both.
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/adapters/cli/errors.js';
import { ERROR_CODES, STORE_ERROR_CODES } from '../../src/adapters/error-codes.js';
import { PROBLEMS, toProblem } from '../../src/adapters/http/problems.js';
import { StoreError } from '../../src/store/store.js';

describe('error registry', () => {
  it('gives the CLI its exit codes and the API its statuses, each only its own codes', () => {
    expect(EXIT_CODES).toEqual({
      VALIDATION: 2,
      NOT_FOUND: 4,
      CONFLICT: 5,
      UNAVAILABLE: 69,
      USAGE: 64,
      NO_INPUT: 66,
      INTERRUPTED: 130,
    });
    expect(Object.keys(PROBLEMS)).not.toContain('USAGE');
    expect(Object.keys(PROBLEMS)).toHaveLength(Object.values(ERROR_CODES).filter((e) => 'status' in e).length);
    expect(PROBLEMS.VALIDATION).toMatchObject({ status: 400, title: 'The request is not valid' });
  });

  it.each([
    ['INVALID', 400, 2],
    ['NOT_FOUND', 404, 4],
    ['CONFLICT', 409, 5],
  ] as const)('a StoreError %s is status %i and exit %i', (code, status, exit) => {
    const problem = toProblem(new StoreError(code, 'x'));
    expect(problem.code).toBe(STORE_ERROR_CODES[code]);
    expect(PROBLEMS[problem.code].status).toBe(status);
    expect(EXIT_CODES[STORE_ERROR_CODES[code]]).toBe(exit);
  });
});

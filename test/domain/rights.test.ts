// GDPR art. 12(3): one month from receipt, counted as Regulation 1182/71 art. 3 counts months.
import { describe, expect, it } from 'vitest';
import { answerDueBy, receivedAtOf } from '../../src/domain/rights.js';

describe('the day a request must be answered by', () => {
  it.each([
    ['2026-01-15T09:00:00Z', '2026-02-15'],
    ['2026-01-31T09:00:00Z', '2026-02-28'], // no 31 February: the month's last day
    ['2028-01-31T09:00:00Z', '2028-02-29'], // leap year
    ['2026-03-31T23:59:59Z', '2026-04-30'],
    ['2026-12-06T10:00:00Z', '2027-01-06'], // across the year
    ['2026-12-31T00:00:00Z', '2027-01-31'],
    ['2026-02-28T12:00:00Z', '2026-03-28'], // the same date, not the month's end
  ])('received %s: by %s', (received, due) => {
    expect(answerDueBy(received)).toBe(due);
  });
});

describe('the day a request was received', () => {
  const now = new Date('2026-12-06T23:30:00Z'); // already 7 December east of UTC
  it('takes an instant or a day not in the future, and says why not', () => {
    expect(receivedAtOf(undefined, now)).toEqual(now);
    expect(receivedAtOf('2026-12-01', now)).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(receivedAtOf('2026-12-07', now)).toEqual(now); // today in Sydney: not refused, counted from now
    expect(receivedAtOf('2026-12-09', now)).toMatch(/^is in the future \(2026-12-09\)/);
    expect(receivedAtOf('2026-12-07T00:30:00Z', now)).toMatch(/^is in the future/);
    expect(receivedAtOf('last week', now)).toMatch(/got "last week"$/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseInstant, pastInstant, utcOffsetMinutes } from '../../src/domain/iso-time.js';

describe('parseInstant', () => {
  it.each([
    ['2026-03-02', Date.UTC(2026, 2, 2)],
    ['2026-03-02T10:00:00Z', Date.UTC(2026, 2, 2, 10)],
    ['2026-03-02T10:00Z', Date.UTC(2026, 2, 2, 10)],
    ['2026-03-02T10:00:00+01:00', Date.UTC(2026, 2, 2, 9)],
    ['2026-03-02T10:00:00-0530', Date.UTC(2026, 2, 2, 15, 30)],
    ['2026-03-02T10:00:00.250Z', Date.UTC(2026, 2, 2, 10, 0, 0, 250)],
    ['2024-02-29T23:59:59z', Date.UTC(2024, 1, 29, 23, 59, 59)],
    ['2026-08-10T23:30:00+02:00', Date.UTC(2026, 7, 10, 21, 30)],
    // Years 0–99 are those years (Date.UTC would read 0026 as 1926).
    ['0026-01-01', Date.parse('0026-01-01T00:00:00Z')],
    ['0099-12-31T23:00:00-02:00', Date.parse('0100-01-01T01:00:00Z')],
    ['0000-02-29', Date.parse('0000-02-29T00:00:00Z')], // the year 0 is a leap year (1900 is not)
  ])('%s', (text, ms) => {
    expect(parseInstant(text)).toBe(ms);
  });

  it.each([
    ['2026-03-02T10:00:00', 'no UTC offset'],
    ['2026-02-30', 'day 30'],
    ['2025-02-29', 'day 29'],
    ['2026-13-01', 'month 13'],
    ['2026-03-02 10:00Z', '"T"'],
    ['2026-03-02T24:00Z', 'does not exist'],
    ['2026-03-02T10:61Z', 'does not exist'],
    ['2026-03-02T10:00+25:00', 'offset'],
    ['2026-03-02T10:00:00Zjunk', 'after the UTC offset'],
    ['2026-3-2', 'not an ISO 8601'],
    ['yesterday', 'not an ISO 8601'],
    ['', 'not an ISO 8601'],
    ['2026-03-02T10:00:00.Z', 'empty fraction'],
  ])('rejects %s', (text, why) => {
    const result = parseInstant(text);
    expect(typeof result).toBe('string');
    expect(result).toContain(why);
  });
});

describe('utcOffsetMinutes', () => {
  it('reads the written offset of a valid instant, null for Z or a date', () => {
    expect(utcOffsetMinutes('2026-03-02T10:00:00-05:00')).toBe(-300);
    expect(utcOffsetMinutes('2026-03-02T10:00:00.250+0530')).toBe(330);
    expect(utcOffsetMinutes('2026-03-02T10:00+01:00')).toBe(60);
    expect(utcOffsetMinutes('2026-03-02T10:00:00Z')).toBeNull();
    expect(utcOffsetMinutes('2026-03-02')).toBeNull();
  });
});

describe('pastInstant', () => {
  it('judges "past" against the now it is given, not a clock of its own', () => {
    const now = Date.parse('2026-03-03T10:00:00Z');
    expect(pastInstant('2026-03-03T10:00:00Z', now)).toBe(now);
    expect(pastInstant('2026-03-03T10:00:01Z', now)).toBe('is in the future');
    expect(pastInstant('2030-01-01', Date.parse('2031-01-01'))).toBe(Date.parse('2030-01-01T00:00:00Z'));
    expect(pastInstant(20260303, now)).toBe('must be an ISO 8601 instant');
  });
});

import { describe, expect, it } from 'vitest';
import { easterSunday, holidaysOf } from '../../src/policy/holidays.js';
import { localTime, startOfLocalDay, zoneOffset } from '../../src/policy/local-time.js';
import { FR } from '../../src/policy/packs/fr.js';

describe('local time from Intl', () => {
  it.each([
    // instant, zone, local date, minutes, weekday
    ['2026-03-29T00:59:00Z', 'Europe/Paris', '2026-03-29', 1 * 60 + 59, 7], // just before DST starts (01:59 CET)
    ['2026-03-29T01:00:00Z', 'Europe/Paris', '2026-03-29', 3 * 60, 7], // 02:00 CET jumps to 03:00 CEST
    ['2026-10-25T00:59:00Z', 'Europe/Paris', '2026-10-25', 2 * 60 + 59, 7], // 02:59 CEST
    ['2026-10-25T01:00:00Z', 'Europe/Paris', '2026-10-25', 2 * 60, 7], // back to 02:00 CET
    ['2026-03-02T06:30:00Z', 'Indian/Reunion', '2026-03-02', 10 * 60 + 30, 1],
    ['2026-03-02T23:30:00Z', 'Europe/Paris', '2026-03-03', 30, 2], // next local day
    ['2026-07-01T14:00:00Z', 'America/Cayenne', '2026-07-01', 11 * 60, 3],
  ])('%s in %s', (iso, zone, date, minutes, weekday) => {
    const t = localTime(Date.parse(iso), zone);
    expect({ date: t.date, minutes: t.minutes, weekday: t.weekday }).toEqual({ date, minutes, weekday });
  });

  it('finds the offset in summer and winter', () => {
    expect(zoneOffset(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Paris')).toBe(2 * 3_600_000);
    expect(zoneOffset(Date.parse('2026-01-01T12:00:00Z'), 'Europe/Paris')).toBe(3_600_000);
    expect(zoneOffset(Date.parse('2026-01-01T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
  });

  it('places a law taking effect on a date at local midnight', () => {
    expect(startOfLocalDay('2026-08-11', 'Europe/Paris')).toBe(Date.parse('2026-08-10T22:00:00Z'));
    expect(startOfLocalDay('2026-01-01', 'Europe/Paris')).toBe(Date.parse('2025-12-31T23:00:00Z'));
    expect(startOfLocalDay('2026-03-29', 'Europe/Paris')).toBe(Date.parse('2026-03-28T23:00:00Z'));
  });
});

describe('holidays', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('Easter %i is %s', (year, date) => {
    expect(new Date(easterSunday(year)).toISOString().slice(0, 10)).toBe(date);
  });

  it('computes the French movable holidays of 2026', () => {
    const days = holidaysOf(2026, FR.holidays, 'test-fr');
    expect(days.get('2026-04-06')).toBe('Lundi de Pâques');
    expect(days.get('2026-05-14')).toBe('Ascension');
    expect(days.get('2026-05-25')).toBe('Lundi de Pentecôte');
    expect(days.get('2026-07-14')).toBe('Fête nationale');
    expect(days.size).toBe(11);
  });
});

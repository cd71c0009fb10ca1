import { describe, expect, it } from 'vitest';
import { easterSunday, frenchPublicHolidays, nextCommercialSendTime, describeParisTime } from '../../src/campaign/commercial-window.js';

const next = (iso: string): string | null => nextCommercialSendTime(new Date(iso))?.toISOString() ?? null;

describe('nextCommercialSendTime', () => {
  it('is null inside Monday-Saturday 08:00-20:00 Paris time', () => {
    expect(next('2026-11-26T10:00:00+01:00')).toBeNull(); // Thursday
    expect(next('2026-11-28T19:59:59+01:00')).toBeNull(); // Saturday, last second
    expect(next('2026-11-30T08:00:00+01:00')).toBeNull(); // Monday, opening minute
  });

  it('treats 20:00 exactly as closed and moves to the next day at 08:00', () => {
    expect(next('2026-11-26T20:00:00+01:00')).toBe('2026-11-27T07:00:00.000Z');
  });

  it('moves an early morning time to 08:00 the same day', () => {
    expect(next('2026-11-26T07:59:59+01:00')).toBe('2026-11-26T07:00:00.000Z');
    expect(next('2026-11-26T00:30:00+01:00')).toBe('2026-11-26T07:00:00.000Z');
  });

  it('skips Sunday', () => {
    expect(next('2026-11-29T12:00:00+01:00')).toBe('2026-11-30T07:00:00.000Z');
    expect(next('2026-11-28T21:00:00+01:00')).toBe('2026-11-30T07:00:00.000Z'); // Saturday evening
  });

  it('reads the Paris wall clock across the spring DST change (Sunday 2026-03-29)', () => {
    // 01:30 UTC is 03:30 CEST on the change day: a Sunday, so Monday 08:00 CEST = 06:00 UTC.
    expect(next('2026-03-29T01:30:00Z')).toBe('2026-03-30T06:00:00.000Z');
    // Saturday 20:30 CET (before the change) → Monday 08:00 CEST.
    expect(next('2026-03-28T20:30:00+01:00')).toBe('2026-03-30T06:00:00.000Z');
    // 06:30 UTC on Monday is 08:30 CEST: open (it would be 07:30 under CET).
    expect(next('2026-03-30T06:30:00Z')).toBeNull();
  });

  it('reads the Paris wall clock across the autumn DST change (Sunday 2026-10-25)', () => {
    expect(next('2026-10-24T21:00:00+02:00')).toBe('2026-10-26T07:00:00.000Z');
    // 06:30 UTC on Monday is 07:30 CET: closed (it would be 08:30 under CEST).
    expect(next('2026-10-26T06:30:00Z')).toBe('2026-10-26T07:00:00.000Z');
    // The Saturday before the change is still CEST: 17:30 UTC is 19:30 (open), 18:30 UTC is 20:30 (closed).
    expect(next('2026-10-24T17:30:00Z')).toBeNull();
    expect(next('2026-10-24T18:30:00Z')).toBe('2026-10-26T07:00:00.000Z');
  });

  it('skips 1 May', () => {
    // Friday 1 May 2026 → Saturday 2 May 08:00 CEST.
    expect(next('2026-05-01T10:00:00+02:00')).toBe('2026-05-02T06:00:00.000Z');
    // Saturday 1 May 2027, then Sunday → Monday 3 May.
    expect(next('2027-05-01T10:00:00+02:00')).toBe('2027-05-03T06:00:00.000Z');
  });

  it('skips Easter Monday, even right after a DST Sunday', () => {
    expect(next('2026-04-06T12:00:00+02:00')).toBe('2026-04-07T06:00:00.000Z');
    // 2027: Easter Sunday is the DST change day (28 March) and Monday 29 is Easter Monday.
    expect(next('2027-03-27T20:00:00+01:00')).toBe('2027-03-30T06:00:00.000Z');
  });

  it('skips Christmas, Ascension and Whit Monday', () => {
    expect(next('2026-12-25T09:00:00+01:00')).toBe('2026-12-26T07:00:00.000Z');
    expect(next('2026-05-14T09:00:00+02:00')).toBe('2026-05-15T06:00:00.000Z');
    expect(next('2026-05-25T09:00:00+02:00')).toBe('2026-05-26T06:00:00.000Z');
  });

  it('depends only on the instant, not on the offset it was written with', () => {
    expect(next('2026-11-26T19:30:00Z')).toBe('2026-11-27T07:00:00.000Z'); // 20:30 Paris
    expect(next('2026-11-26T14:30:00-05:00')).toBe('2026-11-27T07:00:00.000Z'); // also 20:30 Paris
    expect(next('2026-11-26T13:30:00-05:00')).toBeNull(); // 19:30 Paris
  });
});

describe('French public holidays', () => {
  it('computes Easter Sunday for known years', () => {
    expect(easterSunday(2024)).toEqual({ month: 3, day: 31 });
    expect(easterSunday(2025)).toEqual({ month: 4, day: 20 });
    expect(easterSunday(2026)).toEqual({ month: 4, day: 5 });
    expect(easterSunday(2027)).toEqual({ month: 3, day: 28 });
    expect(easterSunday(2038)).toEqual({ month: 4, day: 25 });
    expect(easterSunday(2285)).toEqual({ month: 3, day: 22 });
  });

  it('lists the eleven national holidays of 2026', () => {
    expect([...frenchPublicHolidays(2026)].sort()).toEqual([
      '01-01',
      '04-06',
      '05-01',
      '05-08',
      '05-14',
      '05-25',
      '07-14',
      '08-15',
      '11-01',
      '11-11',
      '12-25',
    ]);
  });

  it('describes a time on the Paris wall clock', () => {
    expect(describeParisTime(new Date('2027-01-04T09:00:00Z'))).toBe('Monday 2027-01-04 10:00 Europe/Paris');
    expect(describeParisTime(new Date('2026-07-14T18:15:00Z'))).toBe('Tuesday 2026-07-14 20:15 Europe/Paris');
  });
});

/**
 * OVH holds marketing SMS outside Monday-Saturday 08:00-20:00 Paris time and on French public holidays,
 * then sends them at the next opening. This module says when that is.
 */

const TIME_ZONE = 'Europe/Paris';
const OPENING_HOUR = 8;
const CLOSING_HOUR = 20;

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const parisFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function parisTime(at: Date): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of parisFormat.formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return { year, month, day, hour, minute, second, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** Easter Sunday (Gregorian calendar), by the anonymous "Meeus/Jones/Butcher" algorithm. */
export function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

/** The eleven national French public holidays of a year, as `MM-DD` strings (Alsace-Moselle extras not included). */
export function frenchPublicHolidays(year: number): Set<string> {
  const easter = easterSunday(year);
  const fromEaster = (days: number): string => {
    const date = new Date(Date.UTC(year, easter.month - 1, easter.day + days));
    return monthDay(date.getUTCMonth() + 1, date.getUTCDate());
  };
  return new Set([
    '01-01',
    fromEaster(1), // Easter Monday
    '05-01',
    '05-08',
    fromEaster(39), // Ascension
    fromEaster(50), // Whit Monday
    '07-14',
    '08-15',
    '11-01',
    '11-11',
    '12-25',
  ]);
}

function monthDay(month: number, day: number): string {
  return `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function isSendingDay(year: number, month: number, day: number): boolean {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday !== 0 && !frenchPublicHolidays(year).has(monthDay(month, day));
}

/** The instant when the Paris wall clock shows `hour`:00 on that date (no DST jump happens at 08:00). */
function parisInstant(year: number, month: number, day: number, hour: number): Date {
  const guess = Date.UTC(year, month - 1, day, hour);
  const shown = parisTime(new Date(guess));
  const offsetMs = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second) - guess;
  return new Date(guess - offsetMs);
}

/**
 * Pure: null when OVH would send a marketing SMS at `at` (Mon-Sat, 08:00 inclusive to 20:00 exclusive,
 * Europe/Paris, not a French public holiday), else the instant of the next opening.
 */
export function nextCommercialSendTime(at: Date): Date | null {
  const local = parisTime(at);
  if (isSendingDay(local.year, local.month, local.day) && local.hour >= OPENING_HOUR && local.hour < CLOSING_HOUR) return null;
  const startOffset = local.hour < OPENING_HOUR ? 0 : 1;
  for (let offset = startOffset; offset < 15; offset += 1) {
    const candidate = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    const [year, month, day] = [candidate.getUTCFullYear(), candidate.getUTCMonth() + 1, candidate.getUTCDate()];
    if (isSendingDay(year, month, day)) return parisInstant(year, month, day, OPENING_HOUR);
  }
  throw new Error('unreachable: a sending day always comes within two weeks');
}

/** How a Paris time reads in warnings, e.g. "Monday 2027-01-04 08:00 Europe/Paris". */
export function describeParisTime(at: Date): string {
  const local = parisTime(at);
  const weekday = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][local.weekday];
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${weekday} ${local.year}-${pad(local.month)}-${pad(local.day)} ${pad(local.hour)}:${pad(local.minute)} Europe/Paris`;
}

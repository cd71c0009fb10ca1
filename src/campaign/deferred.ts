import { describeParisTime, nextCommercialSendTime } from './commercial-window.js';
import type { CampaignType } from './types.js';

/**
 * `deferred` as OVH takes it: `YYYY-MM-DDTHH:MM:SS` with `Z` or a `±HH:MM` offset (the form OVH's documented
 * examples use). RFC 3339 spellings with one meaning (space or `t` separator, `z`, `+0100`, `.000`) are rewritten
 * to it; anything else is refused here rather than by OVH at apply.
 */
export type DeferredTime = { ok: true; normalised: string } | { ok: false; reason: string };

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d(?::?\d\d)?)$/;

export function normaliseDeferred(written: string): DeferredTime {
  const match = RFC3339.exec(written.trim());
  if (match === null)
    return { ok: false, reason: `\`${written}\` is not an RFC 3339 date-time with an offset, e.g. 2027-01-04T10:00:00+01:00` };
  const [, year, month, day, hour, minute, second, fraction, zone] = match as unknown as string[];
  if (fraction !== undefined && /[1-9]/.test(fraction)) {
    return {
      ok: false,
      reason: `\`${written}\` has fractions of a second: OVH schedules to the second, write ${year}-${month}-${day}T${hour}:${minute}:${second}`,
    };
  }
  const offset = normaliseOffset(zone!);
  if (offset === null)
    return { ok: false, reason: `\`${written}\` has an offset OVH cannot take: write it as +HH:MM between -12:00 and +14:00` };
  const numbers = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = numbers;
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const sameFields =
    local.getUTCFullYear() === y &&
    local.getUTCMonth() === mo - 1 &&
    local.getUTCDate() === d &&
    local.getUTCHours() === h &&
    local.getUTCMinutes() === mi &&
    local.getUTCSeconds() === s;
  if (!sameFields) return { ok: false, reason: `\`${written}\` is not a real date and time (no such day, hour or second)` };
  return { ok: true, normalised: `${year}-${month}-${day}T${hour}:${minute}:${second}${offset}` };
}

function normaliseOffset(zone: string): string | null {
  if (zone === 'Z' || zone === 'z') return 'Z';
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length === 4 ? Number(digits.slice(2)) : 0;
  if (minutes > 59 || hours * 60 + minutes > (zone[0] === '+' ? 14 * 60 : 12 * 60)) return null;
  return `${zone[0]}${digits.slice(0, 2)}:${String(minutes).padStart(2, '0')}`;
}

/** Problems of a well-formed `deferred`: in the past, or outside OVH's hours for marketing SMS. */
export function checkDeferred(deferred: string, type: CampaignType, now: Date): { severity: 'error' | 'warning'; message: string }[] {
  const at = new Date(deferred);
  if (Number.isNaN(at.getTime())) return [{ severity: 'error', message: `\`${deferred}\` is not a time this tool can read` }];
  if (at.getTime() <= now.getTime()) {
    return [
      {
        severity: 'warning',
        message: `${deferred} is in the past: fine for a campaign already sent, an error if the plan still has to create it (it would go out at once)`,
      },
    ];
  }
  if (type !== 'marketing') return [];
  const opening = nextCommercialSendTime(at);
  if (opening === null) return [];
  return [
    {
      severity: 'warning',
      message: `${deferred} (${describeParisTime(at)}) is outside OVH's hours for marketing SMS (Mon-Sat 08:00-20:00 Paris time, no public holidays): OVH will hold it until ${describeParisTime(opening)}`,
    },
  ];
}

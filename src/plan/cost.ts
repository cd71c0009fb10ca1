import { countByCountry } from './country.js';
import type { Checked, CountryCost } from './review-types.js';

/** Credits are shown to the hundredth: OVH's rates are decimals (0.6 credit per SMS towards the UK). */
export function roundCredits(credits: number): number {
  return Math.round(credits * 100) / 100;
}

/**
 * A campaign's cost by destination: parts × OVH's rate for each country's recipients; a country without a known
 * rate (offline, unpriced, unreadable, or no country at all) costs one credit per part. Most recipients first.
 */
export function costByCountry(
  recipients: readonly string[],
  parts: number,
  rates: ReadonlyMap<string, Checked<number | null>> | null,
): CountryCost[] {
  const rows: CountryCost[] = [];
  for (const [country, count] of countByCountry(recipients)) {
    const known = country === null ? undefined : rates?.get(country);
    const rate = known?.status === 'checked' && known.value !== null ? known.value : null;
    const creditsPerPart = rate ?? 1;
    rows.push({
      country,
      recipients: count,
      creditsPerPart,
      estimatedCredits: roundCredits(parts * creditsPerPart * count),
      rate: rate === null ? 'default' : 'ovh',
    });
  }
  return rows.sort((a, b) => b.recipients - a.recipients || (a.country ?? '~').localeCompare(b.country ?? '~'));
}

export function totalCredits(rows: readonly CountryCost[]): number {
  return roundCredits(rows.reduce((sum, row) => sum + row.estimatedCredits, 0));
}

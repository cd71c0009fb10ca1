/** Dates and CSV cells as OVH's API and exports write them. */
export const iso = (ms: number) => new Date(ms).toISOString();

/** 'YYYY-MM-DD HH:mm:ss' as in OVH's CSV exports. */
export const csvDate = (ms: number) => iso(ms).slice(0, 19).replace('T', ' ');

export const csvQuoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

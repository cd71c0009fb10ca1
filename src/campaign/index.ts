export { loadCampaigns, DEFAULT_CAMPAIGN_GLOBS, MAX_CAMPAIGN_FILE_BYTES, type LoadOptions } from './load.js';
export { nextCommercialSendTime, describeParisTime, frenchPublicHolidays } from './commercial-window.js';
export { campaignSchema } from './schema-check.js';
export type * from './types.js';

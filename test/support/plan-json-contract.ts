// The plan JSON's keys as the product contract (section 4) states them, written here from the contract, not read
// from the code, so that a test comparing against them can catch a field the code adds, drops or moves.

export const PLAN_KEYS = ['version', 'digest', 'service', 'offline', 'campaigns', 'unmanaged', 'totals'];

/** A campaign's keys, in the contract's order. */
export const CAMPAIGN_KEYS = [
  'name',
  'file',
  'action',
  'digest',
  'batchId',
  'remoteStatus',
  'recipients',
  'duplicatesRemoved',
  'invalidSkipped',
  'encoding',
  'characters',
  'parts',
  'nonGsmCharacters',
  'estimatedCredits',
  'stoplisted',
  'byCountry',
  'deferred',
  'warnings',
  'errors',
];

/** A warning's or an error's keys. */
export const PROBLEM_KEYS = ['file', 'line', 'column', 'field', 'message'];

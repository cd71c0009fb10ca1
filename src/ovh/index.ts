export * from '../account/index.js';
export {
  OvhConfigError,
  ovhSettingsFromEnv,
  secretValues,
  resolveEndpoint,
  type OvhCredentials,
  type OvhSettings,
  type ResolvedEndpoint,
} from './settings.js';
export { connectSmsService, chooseService } from './client.js';
export { loadOvhSettings, parseOvhConf, readOvhConf, ovhConfPaths } from './conf.js';
export {
  leastRules,
  createTokenUrl,
  missingRules,
  blockedPurposes,
  ruleCovers,
  type AccessRule,
  type MissingRule,
  type Purpose,
} from './access-rules.js';
export { readCurrentCredential } from './current-credential.js';
export { DEFAULT_RATE_LIMIT } from './rate-limit.js';

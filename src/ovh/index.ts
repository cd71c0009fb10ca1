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

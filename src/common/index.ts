// Small helpers every layer may use; nothing here knows about SMS, OVH or GitHub.
export { errorText } from './error-text.js';

// The account port: what the core (plan, apply) needs from an SMS account, with its own plain types.
// Adapters (ovh/ over HTTPS with node-ovh) implement it; the core never imports an adapter.
export * from './models.js';
export * from './port.js';
export * from './states.js';
export * from './retry.js';

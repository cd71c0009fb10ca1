export {
  startSandbox,
  sandboxSettings,
  type Sandbox,
  type SandboxFault,
  type SandboxFaultKind,
  type InjectedFault,
  type SandboxOptions,
  type SandboxRequest,
} from './server.js';
export { STOP_CLAUSE } from './messages.js';
export { startSandboxAccount } from './account.js';

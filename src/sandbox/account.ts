import { sandboxSettings, startSandbox } from './server.js';
import type { OvhSettings } from '../ovh/index.js';

/** The simulator as a run's account: started for one run, stopped after it (the CLI's --sandbox, the action's `endpoint: sandbox`). */
export async function startSandboxAccount(): Promise<{ settings: OvhSettings; description: string; stop(): Promise<void> }> {
  const sandbox = await startSandbox();
  return {
    settings: sandboxSettings(sandbox),
    description: `Using the built-in OVH SMS API simulator at ${sandbox.url} (nothing is really sent).`,
    stop: () => sandbox.stop(),
  };
}

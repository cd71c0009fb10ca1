import * as core from '@actions/core';
import { runAction } from './github/action.js';
import { startSandboxAccount } from './sandbox/index.js';

// The action's entry point: the runner's toolkit, environment and clients, handed to runAction.
await runAction({
  core,
  // Loaded lazily: the GitHub and artifact clients are most of the bundle and would delay the first OVH request.
  github: () => import('@actions/github'),
  uploadReportFolder: async () => (await import('./github/artifact.js')).uploadReportFolder,
  startSandbox: startSandboxAccount,
  env: process.env,
  cwd: process.cwd(),
});

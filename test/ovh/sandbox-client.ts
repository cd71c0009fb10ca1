import { expect } from 'vitest';
import { OvhApiError, connectSmsService, type OvhSettings } from '../../src/ovh/index.js';
import { sandboxSettings, type Sandbox } from '../../src/sandbox/index.js';

/** Short timeouts and retry pauses: the sandbox answers at once, so a test need not wait as long as for OVH. */
export const FAST = { timeoutMs: 2000, retry: { attempts: 4, baseDelayMs: 5 } };

/** The OVH client connected to the sandbox with FAST, then `overrides`. */
export async function sandboxClient(sandbox: Sandbox, overrides: Partial<OvhSettings> = {}) {
  const settings = { ...sandboxSettings(sandbox), ...FAST, ...overrides };
  return { sb: sandbox, api: await connectSmsService(settings), settings };
}

/** The OvhApiError the promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<OvhApiError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OvhApiError);
  return error as OvhApiError;
}

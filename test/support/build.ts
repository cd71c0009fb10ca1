import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ACTION_ENTRY, REPO_ROOT } from './runner.js';

async function newestSource(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const times = await Promise.all(
    entries.filter((entry) => entry.isFile()).map(async (entry) => (await stat(path.join(entry.parentPath, entry.name))).mtimeMs),
  );
  return Math.max(0, ...times);
}

/** Builds dist/ with `npm run build` when it is missing or older than src/ (CI builds before testing). */
export async function ensureBuilt(): Promise<void> {
  const built = await stat(ACTION_ENTRY).then(
    (info) => info.mtimeMs,
    () => 0,
  );
  if (built > (await newestSource(path.join(REPO_ROOT, 'src')))) return;
  await promisify(execFile)('npm', ['run', 'build'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
}

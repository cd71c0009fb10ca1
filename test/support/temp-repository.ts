import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export interface TempRepository {
  /** The folder's path (read it inside a test or a hook). */
  readonly dir: string;
  /** Writes a file at a path relative to the folder. */
  write(file: string, text: string): Promise<void>;
}

/**
 * A temporary folder (`prefix…`) holding `folders`, made before each test of the calling block (or once before them
 * all) and removed after.
 */
export function useTempRepository(
  prefix: string,
  { scope = 'each', folders = ['campaigns/lists'] }: { scope?: 'each' | 'all'; folders?: string[] } = {},
): TempRepository {
  let dir: string | null = null;
  const [before, after] = scope === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
    for (const folder of folders) await mkdir(path.join(dir, folder), { recursive: true });
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });
  const repository: TempRepository = {
    get dir() {
      if (dir === null) throw new Error('the temporary repository exists only inside a test');
      return dir;
    },
    write: (file, text) => writeFile(path.join(repository.dir, file), text),
  };
  return repository;
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A folder name for a campaign: campaign names may hold `:` and spaces, which some file systems and zip tools dislike. */
export function campaignFolderName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^\.+/, '_');
  return safe.length > 0 ? safe : '_';
}

/** The thin I/O edge of apply: per campaign folders under the report folder. */
export class ReportFolder {
  private readonly used = new Map<string, string>();

  constructor(readonly root: string) {}

  /** The campaign's folder relative to the root, unique even when two names sanitise alike. */
  folderFor(name: string): string {
    const known = this.used.get(name);
    if (known) return known;
    const base = campaignFolderName(name);
    const taken = new Set(this.used.values());
    let folder = base;
    for (let suffix = 2; taken.has(folder); suffix += 1) folder = `${base}-${suffix}`;
    this.used.set(name, folder);
    return folder;
  }

  /** Writes a file into the campaign's folder and returns its path relative to the root, with forward slashes. */
  async write(name: string, file: string, content: string | Buffer): Promise<string> {
    const folder = this.folderFor(name);
    await mkdir(join(this.root, folder), { recursive: true });
    await writeFile(join(this.root, folder, file), content);
    return `${folder}/${file}`;
  }
}

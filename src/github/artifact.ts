import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { errorText } from '../common/index.js';

export type ArtifactUploadResult =
  { status: 'uploaded'; id: number | null; size: number | null; files: number } | { status: 'skipped' | 'failed'; reason: string };

/** Every file under dir, absolute, in a stable order. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Uploads the report folder as one artifact; a failed upload is reported, never thrown (the SMS work is done). */
export async function uploadReportFolder(dir: string, name: string, retentionDays: number | undefined): Promise<ArtifactUploadResult> {
  if (name === '') return { status: 'skipped', reason: 'artifact-name is empty' };
  try {
    const files = await listFiles(dir);
    if (files.length === 0) return { status: 'skipped', reason: 'the report folder is empty' };
    const client = new DefaultArtifactClient();
    const response = await client.uploadArtifact(name, files, dir, retentionDays ? { retentionDays } : {});
    return { status: 'uploaded', id: response.id ?? null, size: response.size ?? null, files: files.length };
  } catch (error) {
    return { status: 'failed', reason: errorText(error) };
  }
}

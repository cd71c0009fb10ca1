import { constants } from 'node:fs';
import { access, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { readFileChunks } from '../recipients/index.js';
import { buildCampaign, type CampaignData, type CsvSource } from './build.js';
import { checkAgainstSchema } from './schema-check.js';
import type { LoadedCampaign, Problem, SourcePosition } from './types.js';
import { parseYamlSource, problem, valuePosition } from './yaml-source.js';

export interface LoadOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** The clock for `deferred` checks; defaults to now. */
  now?: Date;
}

export const DEFAULT_CAMPAIGN_GLOBS: string[] = ['campaigns/**/*.yml', 'campaigns/**/*.yaml'];

/** A campaign file is a few hundred bytes; anything this big is a mistake, so it is never read whole. */
export const MAX_CAMPAIGN_FILE_BYTES = 1024 * 1024;

const IGNORED = ['**/node_modules/**', '**/.git/**'];
const CAMPAIGN_EXTENSION = /\.ya?ml$/i;

/** A loaded file plus where its name is written, for the cross-file duplicate check. */
interface LoadedFile {
  loaded: LoadedCampaign;
  namePosition: SourcePosition | null;
}

/**
 * Expands paths/globs, reads, parses and validates every campaign file, checks names are unique across files.
 * Never throws for bad input: each bad file (or pattern matching nothing) becomes an InvalidCampaign. Sorted by file path.
 */
export async function loadCampaigns(patterns: string[], options: LoadOptions): Promise<LoadedCampaign[]> {
  const cwd = path.resolve(options.cwd);
  const now = options.now ?? new Date();
  const { files, unmatched } = await expandPatterns(patterns.length > 0 ? patterns : DEFAULT_CAMPAIGN_GLOBS, cwd);
  const results: LoadedFile[] = [];
  for (const file of files) {
    // A bug of ours on a strange file must not stop the other files from being checked.
    results.push(await loadFile(file, cwd, options.env, now).catch((error: unknown) => invalidFile(file, [unexpected(file, error)])));
  }
  markDuplicateNames(results);
  const loaded = results.map((result) => result.loaded);
  for (const pattern of unmatched) {
    const message = `no campaign file matches \`${pattern}\``;
    loaded.push({ valid: false, invalid: { name: null, file: pattern, errors: [problem(pattern, null, null, message)], warnings: [] } });
  }
  return loaded.sort((a, b) => compareText(fileOf(a), fileOf(b)));
}

function fileOf(loaded: LoadedCampaign): string {
  return loaded.valid ? loaded.campaign.file : loaded.invalid.file;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toRelative(cwd: string, absolute: string): string {
  return path.relative(cwd, absolute).split(path.sep).join('/');
}

/** Files matched (relative, `/`-separated, unique) and the patterns that matched nothing. */
async function expandPatterns(patterns: string[], cwd: string): Promise<{ files: string[]; unmatched: string[] }> {
  const files = new Set<string>();
  const unmatched: string[] = [];
  let defaultsMatched = false;
  const defaultsUsed = patterns.filter((pattern) => DEFAULT_CAMPAIGN_GLOBS.includes(pattern));
  for (const pattern of patterns) {
    const matches = await expandPattern(pattern, cwd).catch(() => []);
    for (const match of matches) files.add(match);
    if (matches.length > 0 && DEFAULT_CAMPAIGN_GLOBS.includes(pattern)) defaultsMatched = true;
    // The default globs are one pattern in spirit: `*.yaml` finding nothing next to `*.yml` files is fine.
    if (matches.length === 0 && !DEFAULT_CAMPAIGN_GLOBS.includes(pattern)) unmatched.push(pattern);
  }
  if (defaultsUsed.length > 0 && !defaultsMatched) unmatched.push(defaultsUsed.join(' or '));
  return { files: [...files], unmatched };
}

async function expandPattern(pattern: string, cwd: string): Promise<string[]> {
  const normalised = pattern.split(path.sep).join('/');
  if (isDynamicPattern(normalised)) {
    // `*.YML` is a campaign file too (editors on Windows write it): the default globs ignore the case.
    const caseSensitiveMatch = !DEFAULT_CAMPAIGN_GLOBS.includes(pattern);
    const matches = await glob(normalised, {
      cwd,
      onlyFiles: true,
      ignore: IGNORED,
      expandDirectories: false,
      absolute: true,
      caseSensitiveMatch,
    });
    return matches.filter((match) => CAMPAIGN_EXTENSION.test(match)).map((match) => toRelative(cwd, match));
  }
  const absolute = path.resolve(cwd, normalised);
  const info = await stat(absolute).catch(() => null);
  if (info === null) return [];
  if (info.isDirectory()) {
    const matches = await glob('**/*.{yml,yaml}', {
      cwd: absolute,
      onlyFiles: true,
      ignore: IGNORED,
      absolute: true,
      caseSensitiveMatch: false,
    });
    return matches.map((match) => toRelative(cwd, match));
  }
  return [toRelative(cwd, absolute)];
}

function unexpected(file: string, error: unknown): Problem {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return problem(file, null, null, `could not be checked (${reason}): please report this`);
}

function invalidFile(file: string, errors: Problem[], name: string | null = null, namePosition: SourcePosition | null = null): LoadedFile {
  return { loaded: { valid: false, invalid: { name, file, errors, warnings: [] } }, namePosition };
}

async function loadFile(file: string, cwd: string, env: Record<string, string | undefined>, now: Date): Promise<LoadedFile> {
  const absolute = path.resolve(cwd, file);
  const outside = await outsideRepository(absolute, file, cwd);
  if (outside !== null) return invalidFile(file, [outside]);
  const text = await readCampaignText(absolute, file);
  if (typeof text !== 'string') return invalidFile(file, [text]);

  const parsed = parseYamlSource(text, file);
  if (!parsed.ok) return invalidFile(file, parsed.problems);
  const { data, source } = parsed;
  const rawName = (data as { name?: unknown }).name;
  const name = typeof rawName === 'string' && rawName.length > 0 ? rawName : null;
  const namePosition = name === null ? null : valuePosition(source, ['name']);

  const schemaProblems = checkAgainstSchema(data, source);
  if (schemaProblems.length > 0) return invalidFile(file, schemaProblems, name, namePosition);

  const campaignData = data as CampaignData;
  const csvSources = await readCsvSources(campaignData.recipients ?? [], absolute, cwd);
  const testCsvSources = await readCsvSources(campaignData.testRecipients ?? [], absolute, cwd);
  const built = buildCampaign({ data: campaignData, source, csvSources, testCsvSources, env, now });
  if (built.valid) return { loaded: { valid: true, campaign: built.campaign }, namePosition };
  return { loaded: { valid: false, invalid: { name, file, errors: built.errors, warnings: built.warnings } }, namePosition };
}

/** The rule recipient lists follow: a campaign file, or a link to one, must resolve inside the repository. */
async function outsideRepository(absolute: string, file: string, cwd: string): Promise<Problem | null> {
  if (!isInside(cwd, absolute)) return problem(file, null, null, 'the file is outside the repository: campaign files must live inside it');
  const realCwd = await realpath(cwd).catch(() => cwd);
  const real = await realpath(absolute).catch(() => absolute);
  if (!isInside(realCwd, real))
    return problem(file, null, null, 'the file leads outside the repository through a symbolic link: campaign files must live inside it');
  return null;
}

/** The file's text, or the problem that stops it being read (too big, binary, not UTF-8, unreadable). */
async function readCampaignText(absolute: string, file: string): Promise<string | Problem> {
  try {
    const info = await stat(absolute);
    if (!info.isFile()) return problem(file, null, null, 'not a regular file');
    if (info.size > MAX_CAMPAIGN_FILE_BYTES) {
      return problem(
        file,
        null,
        null,
        `the file is ${formatBytes(info.size)}, over the ${formatBytes(MAX_CAMPAIGN_FILE_BYTES)} limit for a campaign file`,
      );
    }
    const bytes = await readFile(absolute);
    if (bytes.includes(0)) return problem(file, null, null, 'the file is binary, not YAML text');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return problem(file, null, null, 'the file is not valid UTF-8 text');
    }
  } catch (error) {
    return problem(file, null, null, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
}

/** The `{ file }` entries of a list (`recipients` or `testRecipients`), each under its index in that list. */
async function readCsvSources(
  list: NonNullable<CampaignData['testRecipients']>,
  campaignAbsolute: string,
  cwd: string,
): Promise<CsvSource[]> {
  const sources: CsvSource[] = [];
  const realCwd = await realpath(cwd).catch(() => cwd);
  for (const [index, recipientSource] of list.entries()) {
    if (typeof recipientSource === 'string' || !('file' in recipientSource)) continue;
    sources.push(await readCsvSource(index, recipientSource.file, campaignAbsolute, cwd, realCwd));
  }
  return sources;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function readCsvSource(index: number, written: string, campaignAbsolute: string, cwd: string, realCwd: string): Promise<CsvSource> {
  const absolute = path.resolve(path.dirname(campaignAbsolute), written);
  const csvFile = toRelative(cwd, absolute);
  if (!isInside(cwd, absolute))
    return { index, error: `\`${written}\` points outside the repository: recipient lists must live inside it` };
  const info = await stat(absolute).catch(() => null);
  if (info === null) return { index, error: `CSV file not found: ${csvFile}` };
  if (!info.isFile()) return { index, error: `${csvFile} is not a file` };
  // A symbolic link inside the repository may still lead out of it.
  const real = await realpath(absolute).catch(() => absolute);
  if (!isInside(realCwd, real)) return { index, error: `\`${written}\` leads outside the repository through a symbolic link` };
  // No size cap: the list is read as a stream when the campaign is built, and memory grows with its distinct numbers.
  try {
    await access(absolute, constants.R_OK);
    return { index, csvFile, content: readFileChunks(absolute) };
  } catch (error) {
    return { index, error: `cannot read ${csvFile} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` };
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${bytes} bytes`;
}

/** Two files with one name would fight over one OVH batch: both become invalid, each naming the other. */
function markDuplicateNames(results: LoadedFile[]): void {
  const byName = new Map<string, LoadedFile[]>();
  for (const result of results) {
    const name = result.loaded.valid ? result.loaded.campaign.name : result.loaded.invalid.name;
    if (name === null) continue;
    byName.set(name, [...(byName.get(name) ?? []), result]);
  }
  for (const [name, sharing] of byName) {
    if (sharing.length < 2) continue;
    for (const result of sharing) {
      const file = fileOf(result.loaded);
      const others = sharing
        .map((other) => fileOf(other.loaded))
        .filter((other) => other !== file)
        .sort(compareText);
      const duplicate = problem(
        file,
        result.namePosition,
        'name',
        `the name \`${name}\` is also used by ${others.join(', ')}: campaign names must be unique (each is an OVH batch name)`,
      );
      if (result.loaded.valid) {
        const { campaign } = result.loaded;
        result.loaded = { valid: false, invalid: { name, file, errors: [duplicate], warnings: campaign.warnings } };
      } else {
        result.loaded.invalid.errors.push(duplicate);
      }
    }
  }
}

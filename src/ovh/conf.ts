import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OvhConfigError, ovhSettingsFromEnv, type OvhSettings } from './settings.js';

/** An INI file as OVH's clients read it: sections of `key = value`, `;` and `#` comments. */
export type OvhConf = Map<string, Map<string, string>>;

export function parseOvhConf(text: string): OvhConf {
  const conf: OvhConf = new Map();
  let section: Map<string, string> | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      section = conf.get(name) ?? new Map();
      conf.set(name, section);
      continue;
    }
    const separator = line.search(/[=:]/);
    if (section === null || separator < 0) continue;
    section.set(line.slice(0, separator).trim().toLowerCase(), line.slice(separator + 1).trim());
  }
  return conf;
}

/** Where OVH's clients look, the first one winning key by key: ./ovh.conf, ~/.ovh.conf, /etc/ovh.conf. */
export function ovhConfPaths(cwd: string, home: string = os.homedir()): string[] {
  return [path.join(cwd, 'ovh.conf'), path.join(home, '.ovh.conf'), '/etc/ovh.conf'];
}

/** The files merged: a key in an earlier file hides the same key in a later one; missing files are skipped. */
export async function readOvhConf(paths: readonly string[]): Promise<{ conf: OvhConf; files: string[] }> {
  const conf: OvhConf = new Map();
  const files: string[] = [];
  for (const file of paths) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw new OvhConfigError(`Cannot read ${file} (${error.code ?? error.message})`);
    });
    if (text === null) continue;
    files.push(file);
    for (const [name, entries] of parseOvhConf(text)) {
      const section = conf.get(name) ?? new Map<string, string>();
      for (const [key, value] of entries) if (!section.has(key)) section.set(key, value);
      conf.set(name, section);
    }
  }
  return { conf, files };
}

const CREDENTIAL_VARIABLES = ['OVH_APPLICATION_KEY', 'OVH_APPLICATION_SECRET', 'OVH_CONSUMER_KEY', 'OVH_CLIENT_ID', 'OVH_CLIENT_SECRET'];
const CONF_KEYS: Record<string, string> = {
  application_key: 'OVH_APPLICATION_KEY',
  application_secret: 'OVH_APPLICATION_SECRET',
  consumer_key: 'OVH_CONSUMER_KEY',
  client_id: 'OVH_CLIENT_ID',
  client_secret: 'OVH_CLIENT_SECRET',
};

/**
 * Contract §3: credentials from the environment; without any there, from ovh.conf as OVH's own clients read it
 * (`[default] endpoint=`, then the endpoint's section). OVH_ENDPOINT and OVH_SMS_SERVICE_NAME still win over the file.
 */
export async function loadOvhSettings(
  env: Record<string, string | undefined>,
  where: { cwd: string; home?: string; paths?: string[] },
): Promise<OvhSettings | null> {
  if (CREDENTIAL_VARIABLES.some((name) => env[name]?.trim())) return ovhSettingsFromEnv(env);
  const { conf, files } = await readOvhConf(where.paths ?? ovhConfPaths(where.cwd, where.home));
  if (files.length === 0) return null;
  const endpoint = env['OVH_ENDPOINT']?.trim() || conf.get('default')?.get('endpoint') || 'ovh-eu';
  const section = conf.get(endpoint);
  if (!section) return null;
  const fromFile: Record<string, string | undefined> = { OVH_ENDPOINT: endpoint, OVH_SMS_SERVICE_NAME: env['OVH_SMS_SERVICE_NAME'] };
  for (const [key, variable] of Object.entries(CONF_KEYS)) fromFile[variable] = section.get(key);
  try {
    return ovhSettingsFromEnv(fromFile);
  } catch (error) {
    if (!(error instanceof OvhConfigError)) throw error;
    const named = error.message.replace(/OVH_([A-Z_]+)/g, (_, name: string) => name.toLowerCase());
    throw new OvhConfigError(`${named} in the [${endpoint}] section of ${files.join(', ')}`);
  }
}

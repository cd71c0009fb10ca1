// Bundle size of dist/index.js and time from spawning it to its first OVH request (median of several runs).
// Usage: npx tsx bench/action-startup.ts [runs]   (E2E_NODE=/path/to/node to time another Node binary)
import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox } from '../src/sandbox/index.js';
import { startFakeArtifactService } from '../test/support/fake-artifacts.js';
import { startFakeGitHub } from '../test/support/fake-github.js';
import { ACTION_ENTRY, NODE_BINARY, REPO_ROOT, runAction } from '../test/support/runner.js';

const runs = Number(process.argv[2] ?? 7);
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const bundle = await stat(ACTION_ENTRY);
const distDir = path.dirname(ACTION_ENTRY);
// Chunks loaded on demand (GitHub and artifact clients), beside the entry.
const chunks = (await readdir(distDir)).filter((name) => /^\d+\.index\.js$/.test(name));
const chunkBytes = (await Promise.all(chunks.map((name) => stat(path.join(distDir, name))))).reduce((sum, info) => sum + info.size, 0);
const sandbox = await startSandbox();
const caFile = path.join(await mkdtemp(path.join(tmpdir(), 'sms-bench-')), 'ca.pem');
await writeFile(caFile, sandbox.ca);
const github = await startFakeGitHub();
const artifacts = await startFakeArtifactService();

const firstRequest: number[] = [];
const total: number[] = [];
for (let index = 0; index < runs; index += 1) {
  const seen = sandbox.requests.length;
  let firstAt = 0;
  // The sandbox records requests without timestamps: watch its log from this process.
  const watcher = setInterval(() => {
    if (firstAt === 0 && sandbox.requests.length > seen) firstAt = Date.now();
  }, 1);
  const result = await runAction({
    eventName: 'pull_request',
    payload: { pull_request: { number: 1 } },
    workspaceSource: path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'valid'),
    githubApiUrl: github.url,
    resultsUrl: artifacts.url,
    runtimeToken: artifacts.runtimeToken,
    inputs: {
      endpoint: sandbox.url,
      'application-key': sandbox.credentials.applicationKey,
      'application-secret': sandbox.credentials.applicationSecret,
      'consumer-key': sandbox.credentials.consumerKey,
    },
    extraEnv: { NODE_EXTRA_CA_CERTS: caFile },
  });
  const endedAt = Date.now();
  clearInterval(watcher);
  if (result.exitCode !== 0 || firstAt === 0) throw new Error(`run ${index} failed:\n${result.stdout}\n${result.stderr}`);
  firstRequest.push(firstAt - result.spawnedAt);
  total.push(endedAt - result.spawnedAt);
}

await Promise.all([sandbox.stop(), github.close(), artifacts.close()]);
console.log(`node: ${NODE_BINARY} (${runs} runs of a pull request plan against the sandbox)`);
console.log(
  `dist/index.js: ${(bundle.size / 1_000_000).toFixed(2)} MB loaded at start, ` +
    `+ ${(chunkBytes / 1_000_000).toFixed(2)} MB in ${chunks.length} chunks loaded after the OVH work`,
);
console.log(
  `spawn → first OVH request: median ${median(firstRequest)} ms (min ${Math.min(...firstRequest)}, max ${Math.max(...firstRequest)})`,
);
console.log(`spawn → exit (plan, comment, artifact): median ${median(total)} ms`);

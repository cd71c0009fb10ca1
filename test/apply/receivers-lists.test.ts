import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listDescription } from '../../src/apply/receivers-lists.js';
import { renderSummaryMarkdown, toResultsJson } from '../../src/report/index.js';
import { sandboxSettings } from '../../src/sandbox/index.js';
import { campaign } from '../plan/fixtures.js';
import { asLoaded, countByName, smallCampaigns, spawnApplyChild, startWorld, type World } from './sandbox-world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** `count` distinct valid French mobile numbers. */
const mobiles = (count: number, from = 0) => Array.from({ length: count }, (_, index) => `+3361${String(from + index).padStart(7, '0')}`);

const requestsTo = (world: World, method: string, pattern: RegExp) =>
  world.sandbox.requests.filter((request) => request.method === method && pattern.test(request.path.split('?')[0]!)).length;

describe('big campaigns through OVH receivers lists (slotID)', () => {
  it(
    'applies a 1M-recipient campaign through a list, deletes the list, and a second apply creates nothing',
    { timeout: 240_000 },
    async () => {
      world = await startWorld({ creditsLeft: 10_000_000, batchDurationMs: 400 });
      const big = campaign({ name: 'million', type: 'transactional', noStop: true, message: 'Hello', recipients: mobiles(1_000_000) });
      const result = await world.apply(asLoaded([big]), { timeoutMs: 180_000 });
      expect(result.ok).toBe(true);
      expect(result.campaigns[0]).toMatchObject({ action: 'create', created: true, outcome: 'completed', exportWarning: null });
      const [batch] = world.sandbox.batches();
      expect(batch).toMatchObject({ name: 'million', receivers: null, slotID: '1', totalRecords: 1_000_000 });
      // One upload, one registration, no `to` array anywhere: the creation body names the slot.
      expect(requestsTo(world, 'POST', /\/me\/document$/)).toBe(1);
      expect(requestsTo(world, 'PUT', /^\/documents\//)).toBe(1);
      expect(requestsTo(world, 'POST', /\/receivers$/)).toBe(1);
      expect(requestsTo(world, 'DELETE', /\/me\/document\//)).toBe(1);
      expect(result.campaigns[0]?.statistics?.sent).toBe(1_000_000);
      // The export is streamed to disk in full.
      const file = join(world.reportDir, result.campaigns[0]!.exportFile!);
      expect((await stat(file)).size).toBeGreaterThan(100_000_000);
      // The list is gone once the batch is done, so it cannot block the next campaign.
      expect(await world.api.listReceiversLists()).toEqual([]);

      const plan = await world.plan(asLoaded([big]));
      expect(plan.campaigns[0]?.action).toBe('none');
      const second = await world.apply(asLoaded([big]), { timeoutMs: 180_000 });
      expect(second).toMatchObject({ ok: true, created: 0 });
      expect(world.creations()).toBe(1);
      expect(requestsTo(world, 'POST', /\/me\/document$/)).toBe(1);

      // One number fewer: the count differs from the list the batch was sent from, so it is a conflict.
      const edited = { ...big, recipients: big.recipients.slice(1) };
      const conflict = await world.plan(asLoaded([edited]));
      expect(conflict.campaigns[0]?.action).toBe('conflict');
      expect(conflict.campaigns[0]?.errors[0]?.message).toMatch(/999999 recipients in the campaign, 1000000 in the receivers list/);
    },
  );

  it('cleans up lists it left behind, and leaves other lists alone', async () => {
    world = await startWorld({ maxReceiversLists: 3 });
    const api = world.api;
    const upload = async (slotId: number, description: string) => {
      const document = await api.createDocument('l.csv');
      await api.uploadDocument(document.putUrl, () => ['+33612345678\n']);
      await api.createReceiversList({ slotId, documentId: document.id, description });
    };
    await upload(1, listDescription('big-a')); // a crash left it: big-a is created by this run
    await upload(2, 'the marketing team list'); // not ours
    await upload(3, listDescription('other')); // ours, recent, no batch: maybe an overlapping run's, kept
    const big = campaign({ name: 'big-a', recipients: mobiles(30) });
    const result = await world.apply(asLoaded([big]), { receiversListThreshold: 20 });
    expect(result.ok).toBe(true);
    expect(world.sandbox.batches()[0]).toMatchObject({ name: 'big-a', slotID: '1', totalRecords: 30 });
    expect((await api.listReceiversLists()).sort()).toEqual([2, 3]);
    expect((await api.getReceiversList(2)).description).toBe('the marketing team list');
  });

  it('a run killed after the upload, before the creation, then re-run: one batch, no list left', { timeout: 60_000 }, async () => {
    world = await startWorld({ creditsLeft: 1_000_000 });
    const sandbox = world.sandbox;
    // The creation waits long enough for the kill to land between upload and creation.
    sandbox.addFault({ method: 'POST', path: /\/batches$/, kind: 'latency', delayMs: 5_000, times: 1 });
    const big = campaign({ name: 'crash-after-upload', recipients: mobiles(2_000) });
    const { child, exited } = spawnApplyChild({ settings: sandboxSettings(sandbox), loaded: asLoaded([big]), receiversListThreshold: 100 });
    const deadline = Date.now() + 30_000;
    while (!sandbox.requests.some((request) => request.method === 'POST' && /\/batches$/.test(request.path)) && Date.now() < deadline) {
      // The creation is only recorded once answered; the list shows the upload is done.
      if ((await world.api.listReceiversLists()).length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(sandbox.batches()).toHaveLength(0);
    expect(await world.api.listReceiversLists()).toEqual([1]);

    const plan = await world.plan(asLoaded([big]));
    expect(plan.campaigns[0]?.action).toBe('create');
    // The killed run's creation may still land (its request was on the wire): the re-run's name check sees it then.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const result = await world.apply(asLoaded([big]), { receiversListThreshold: 100 });
    expect(result.ok).toBe(true);
    expect(countByName(sandbox)).toEqual({ 'crash-after-upload': 1 });
    expect(sandbox.batches()[0]?.totalRecords).toBe(2_000);
    expect(await world.api.listReceiversLists()).toEqual([]);
    const csv = await readFile(join(world.reportDir, result.campaigns[0]!.exportFile!), 'utf8');
    // One row per SMS (the quoted message spans two lines, its STOP clause on the second).
    expect(csv.split('\n').filter((line) => /^\d+;/.test(line))).toHaveLength(2_000);
  });
});

describe('exports that cannot be fetched', () => {
  it('are retried, then a visible warning in results.json and the summary, never silent', { timeout: 60_000 }, async () => {
    world = await startWorld();
    // Every look at an export document fails: the export is asked for again and again until the window ends.
    world.sandbox.addFault({ method: 'GET', path: /^\/1\.0\/me\/document\//, kind: 'status', status: 500, times: 10_000 });
    const [only] = smallCampaigns(1, 'no-export');
    const result = await world.apply(asLoaded([only!]), { timeoutMs: 1_000 });
    const [entry] = result.campaigns;
    expect(entry).toMatchObject({ outcome: 'completed', exportFile: null });
    expect(entry?.exportWarning).toMatch(/CSV export not fetched \(no outgoing.csv\): .*HTTP 500/);
    expect(entry?.message).toContain(entry!.exportWarning!);
    // Looked at more than once (retries with backoff), each look a single call (the client's own retries aside).
    expect(world.sandbox.requests.filter((request) => request.path.startsWith('/1.0/me/document/')).length).toBeGreaterThan(4);
    await expect(stat(join(world.reportDir, 'no-export-1', 'outgoing.csv'))).rejects.toThrow();
    const plan = await world.plan(asLoaded([only!]));
    expect(toResultsJson(result).campaigns[0]?.exportWarning).toBe(entry!.exportWarning);
    expect(renderSummaryMarkdown(plan, result)).toContain('⚠️ CSV export not fetched');
  });
});

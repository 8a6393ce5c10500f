import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';
import { writeOcr2 } from '../helpers/trace-files';
import { getDataset } from '../../electron/services/data/registry';
import { searchIndexFor } from '../../electron/services/traces/search-index';

let t: TestBackend;
let files: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  t = await startTestBackend();
  files = await tempDir('valley-workspaces-');
});
afterAll(async () => {
  await t.close();
  await files.cleanup();
});

const results = async (name: string) => {
  const file = join(files.dir, `${name}_eval_all.json`);
  await writeFile(
    file,
    JSON.stringify([{ question_id: 'q1', difficulty: 'easy', output_list: ['```\nx\n```'], graded_list: [true] }]),
  );
  return file;
};

describe('workspaces', () => {
  it('creates, switches and reopens workspaces; each keeps its own runs; the recent list remembers them', async () => {
    const first = (await t.call('workspace.list', {})).current;
    expect(first.dir).toBe(t.dir);
    const dir = join(files.dir, 'study-a');
    const { workspace } = await t.call('workspace.create', { dir, name: 'Study A' });
    expect(workspace).toMatchObject({ dir, name: 'Study A', isDemo: false });
    expect((await t.call('system.info', {})).workspace.dir).toBe(dir);
    await t.call('results.import', { paths: [await results('a')] });
    expect((await t.call('runs.list', {})).runs).toHaveLength(1);
    // back to the first: its runs, not the new one's (every handler follows the switch)
    await t.call('workspace.open', { dir: first.dir });
    expect((await t.call('runs.list', {})).runs).toHaveLength(0);
    expect((await t.call('study.list', {})).studies).toEqual([]);
    const list = await t.call('workspace.list', {});
    expect(list.recent.map((r) => r.dir).slice(0, 2)).toEqual([first.dir, dir]);
    expect(list.recent.every((r) => r.exists)).toBe(true);
    await t.call('workspace.open', { dir });
    expect((await t.call('runs.list', {})).runs).toHaveLength(1);
    await t.call('workspace.open', { dir: first.dir });
    // forgetting leaves the folder alone
    const { recent } = await t.call('workspace.forget', { dir });
    expect(recent.map((r) => r.dir)).not.toContain(dir);
  });

  it("follows the engine of the workspace switched to: its word index's 'ready' reaches every client", async () => {
    const first = (await t.call('workspace.list', {})).current;
    await t.call('workspace.create', { dir: join(files.dir, 'study-b') });
    const heard: string[] = [];
    const off = t.backend.services.bus.subscribe((name, payload) => {
      if (name === 'workspace.changed') heard.push((payload as { what: string }).what);
    });
    const traces = join(files.dir, 'b.jsonl');
    await writeOcr2(traces, 50);
    await t.call('data.import', { paths: [traces], name: 'b', wait: true });
    const engine = t.backend.services.workspace.engine;
    const d = await getDataset(engine, 'b');
    if (!d) throw new Error('b');
    await searchIndexFor(engine).whenBuilt(d);
    off();
    expect(heard).toContain('indexes');
    await t.call('workspace.open', { dir: first.dir });
  });

  it('refuses folders that are not workspaces, non-empty folders for new ones, and says which', async () => {
    const busy = join(files.dir, 'busy');
    await mkdir(busy);
    await writeFile(join(busy, 'notes.txt'), 'x');
    await expect(t.call('workspace.open', { dir: busy })).rejects.toMatchObject({
      code: 'not_found',
      details: { file: busy },
    });
    await expect(t.call('workspace.create', { dir: busy })).rejects.toMatchObject({
      code: 'conflict',
      details: { file: busy },
    });
    await expect(t.call('workspace.create', { dir: t.dir })).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.call('workspace.open', { dir: join(files.dir, 'nowhere') })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect((await t.call('system.info', {})).workspace.dir).toBe(t.dir);
  });

  it('lists folders for the file browser: folders first, sizes of files, workspaces marked, hidden files on request', async () => {
    const root = join(files.dir, 'browse');
    await mkdir(join(root, 'zeta'), { recursive: true });
    await writeFile(join(root, 'b.jsonl'), '{"a": 1}\n');
    await writeFile(join(root, '.hidden'), '');
    await t.call('workspace.create', { dir: join(root, 'ws') });
    await t.call('workspace.open', { dir: t.dir });
    const r = await t.call('fs.list', { dir: root });
    expect(r.entries.map((e) => [e.name, e.kind, e.size, e.isWorkspace])).toEqual([
      ['ws', 'dir', null, true],
      ['zeta', 'dir', null, false],
      ['b.jsonl', 'file', 9, false],
    ]);
    expect(r.parent).toBe(files.dir);
    expect((await t.call('fs.list', { dir: root, hidden: true })).entries.map((e) => e.name)).toContain('.hidden');
    const home = await t.call('fs.list', {});
    expect(home.dir).toBe(home.home);
    await expect(t.call('fs.list', { dir: join(root, 'b.jsonl') })).rejects.toMatchObject({ code: 'bad_input' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { startTestBackend, tempDir, type TestBackend } from '../helpers/workspace';

const root = resolve(__dirname, '../..');

/**
 * `valley workspace …` run as a user runs it (bin/valley.cjs in its own process), with the app data folder
 * ($VALLEY_HOME) shared with a real backend standing in for the app: each sees what the other opened.
 */
describe('valley workspace', () => {
  let app: TestBackend;
  let home: string;
  let files: { dir: string; cleanup: () => Promise<void> };
  const valley = (args: string[]) =>
    spawnSync('node', [resolve(root, 'bin/valley.cjs'), 'workspace', ...args], {
      encoding: 'utf8',
      cwd: root,
      timeout: 120_000,
      env: { ...process.env, VALLEY_HOME: home },
    });
  const json = <T>(args: string[]): T => {
    const r = valley([...args, '--json']);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  type Listing = { current: string | null; recent: { dir: string; name: string; exists: boolean }[]; demoDir: string };

  beforeAll(async () => {
    execFileSync('node', ['scripts/build-backend.mjs'], { cwd: root });
    app = await startTestBackend();
    home = dirname(app.dir); // the test backend's app data folder
    files = await tempDir('valley-ws-cli-');
  });
  afterAll(async () => {
    await app?.close();
    await files?.cleanup();
  });

  it('lists the workspaces the app opened, newest first, the open one as current', async () => {
    const listing = json<Listing>(['list']);
    expect(listing.recent.map((r) => r.dir)).toEqual([app.dir]);
    expect(listing.current).toBe(app.dir);
    expect(listing.demoDir).toBe(join(home, 'demo-workspace'));
    const text = valley(['list']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^\\*\\s+ws\\s+${app.dir.replace(/[/.]/g, '\\$&')}`, 'm'));
    // the open workspace is held by the app: current reads its workspace.json, it does not need the database
    expect(json<{ workspace: { dir: string } }>(['current']).workspace.dir).toBe(app.dir);
  });

  it('creates a workspace the app then lists and opens; refuses a folder that is not empty or already one', async () => {
    const dir = join(files.dir, 'study-a');
    const created = json<{ workspace: { dir: string; name: string; isDemo: boolean } }>([
      'new',
      dir,
      '--name',
      'Study A',
    ]);
    expect(created.workspace).toMatchObject({ dir, name: 'Study A', isDemo: false });
    expect(JSON.parse(await readFile(join(dir, 'workspace.json'), 'utf8'))).toMatchObject({ name: 'Study A' });
    // the app's Workspaces dialog lists it first, and can switch to it
    const list = await app.call('workspace.list', {});
    expect(list.recent.map((r) => r.dir).slice(0, 2)).toEqual([dir, app.dir]);
    expect(json<{ workspace: { dir: string } }>(['current']).workspace.dir).toBe(dir);

    const again = valley(['new', dir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`${dir} is already a Valley workspace; open it instead`);
    const full = join(files.dir, 'full');
    await mkdir(full);
    await writeFile(join(full, 'notes.txt'), 'mine');
    const refused = valley(['new', full, '--json']);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout || refused.stderr)).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { file: full } },
    });
    expect(await readFile(join(full, 'notes.txt'), 'utf8')).toBe('mine');
    expect(valley(['new']).status).toBe(2);
    const noName = valley(['new', join(files.dir, 'unnamed'), '--name', '  ']);
    expect(noName.status).toBe(2);
    expect(noName.stderr).toContain('name:');
  });

  it('opens a workspace (the one the app holds too), making it current; refuses a folder that is not one', async () => {
    // the app switches to the new workspace; the CLI then opens the first one while nothing holds it
    await app.call('workspace.open', { dir: join(files.dir, 'study-a') });
    const opened = json<{ workspace: { dir: string }; inUse: boolean }>(['open', app.dir]);
    expect(opened).toMatchObject({ workspace: { dir: app.dir }, inUse: false });
    expect(json<Listing>(['list']).current).toBe(app.dir);
    expect((await app.call('workspace.list', {})).recent[0]?.dir).toBe(app.dir);
    // study-a is open in the app: the CLI says so and still makes it current
    const held = json<{ workspace: { dir: string; name: string }; inUse: boolean }>([
      'open',
      join(files.dir, 'study-a'),
    ]);
    expect(held).toMatchObject({ workspace: { name: 'Study A' }, inUse: true });
    expect(json<Listing>(['list']).current).toBe(join(files.dir, 'study-a'));

    const notOne = valley(['open', files.dir]);
    expect(notOne.status).toBe(1);
    expect(notOne.stderr).toContain(`${files.dir} is not a Valley workspace; create a new workspace there instead`);
    const missing = valley(['open', join(files.dir, 'nope')]);
    expect(missing.stderr).toContain('does not exist');
  });

  it('forgets a workspace without touching its folder; an unknown sub-verb names the real ones', async () => {
    const dir = join(files.dir, 'study-a');
    const after = json<Listing>(['forget', dir]);
    expect(after.recent.map((r) => r.dir)).not.toContain(dir);
    expect((await app.call('workspace.list', {})).recent.map((r) => r.dir)).not.toContain(dir);
    expect(await readFile(join(dir, 'workspace.json'), 'utf8')).toContain('Study A');
    const bad = valley(['switch']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('one of list, new, open, current, forget');
    const bare = valley(['--json']);
    expect(bare.status, bare.stderr).toBe(0);
    expect((JSON.parse(bare.stdout) as Listing).recent.length).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { ENGINE_MEMORY_LIMIT, engineMemoryLimit } from '../../electron/services/workspace/workspace';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestBackend, tempDir } from '../helpers/workspace';
import { writeOcr2 } from '../helpers/trace-files';

describe("the engine's memory limit", () => {
  it('is 1 GB unless VALLEY_ENGINE_MEMORY says otherwise; a bad value is refused, naming the variable', () => {
    expect(engineMemoryLimit({})).toBe(ENGINE_MEMORY_LIMIT);
    expect(engineMemoryLimit({ VALLEY_ENGINE_MEMORY: '4GB' })).toBe('4GB');
    expect(engineMemoryLimit({ VALLEY_ENGINE_MEMORY: ' 768mb ' })).toBe('768MB');
    expect(engineMemoryLimit({ VALLEY_ENGINE_MEMORY: '1.5GB' })).toBe('1.5GB');
    for (const bad of ['lots', '64MB', '4TB', '-1GB']) {
      expect(() => engineMemoryLimit({ VALLEY_ENGINE_MEMORY: bad }), bad).toThrow(/VALLEY_ENGINE_MEMORY="/);
    }
  });

  it("is what the workspace's DuckDB runs with", async () => {
    const before = process.env['VALLEY_ENGINE_MEMORY'];
    process.env['VALLEY_ENGINE_MEMORY'] = '640MB';
    try {
      const t = await startTestBackend();
      try {
        const r = await t.call('sql.query', { sql: "SELECT current_setting('memory_limit')" });
        // DuckDB reads MB as 1000² bytes and prints MiB: 640 MB = 610.3 MiB
        expect(r.rows[0]?.[0]).toBe('610.3 MiB');
      } finally {
        await t.close();
      }
    } finally {
      if (before === undefined) delete process.env['VALLEY_ENGINE_MEMORY'];
      else process.env['VALLEY_ENGINE_MEMORY'] = before;
    }
  });

  it('is raised while an import copies its source, and back afterwards, failed or not', async () => {
    const t = await startTestBackend();
    const files = await tempDir('valley-memory-');
    try {
      const limit = async () =>
        (await t.call('sql.query', { sql: "SELECT current_setting('memory_limit')" })).rows[0]?.[0];
      const workspaceLimit = await limit();
      // seen from beside the import while its scan runs: a large file, polled
      const big = await writeOcr2(join(files.dir, 'big.jsonl'), 20_000);
      const seen = new Set<unknown>();
      let importing = true;
      const polling = (async () => {
        while (importing) {
          seen.add(await limit());
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      await t.call('data.import', { paths: [big], name: 'big', wait: true });
      importing = false;
      await polling;
      expect(seen.size).toBeGreaterThan(1);
      expect(await limit()).toBe(workspaceLimit);
      const bad = join(files.dir, 'bad.jsonl');
      await writeFile(bad, '{"id": "a", "r1_generation": "x", "judgement": "maybe"}\n');
      await expect(t.call('data.import', { paths: [bad], name: 'bad', wait: true })).rejects.toThrow();
      expect(await limit()).toBe(workspaceLimit);
    } finally {
      await t.close();
      await files.cleanup();
    }
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { ENGINE_MEMORY_LIMIT, engineMemoryLimit } from '../../electron/services/workspace/workspace';
import { startTestBackend } from '../helpers/workspace';

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
});

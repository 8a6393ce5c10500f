import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { engineHostEntry, openSupervisedDuckDb } from '../../electron/services/engine/supervised';
import { tempDir } from '../helpers/workspace';

/** A statement that runs for minutes unless interrupted. */
const LONG = 'SELECT count(*) FROM range(50000000000) r(i) WHERE hash(i) % 7 = 0';

describe('closing the engine while a statement runs (a background build, a backend that dies)', () => {
  it('close() interrupts what runs and returns; the database opens again', async () => {
    const files = await tempDir('valley-close-');
    try {
      const path = join(files.dir, 'c.duckdb');
      const engine = await openSupervisedDuckDb(path, {});
      await engine.run('CREATE TABLE kept AS SELECT 42 AS x');
      const s = await engine.session();
      const running = s.all(LONG).then(
        () => 'finished',
        (e: unknown) => String(e),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await engine.close(); // waited for the statement (minutes) before
      expect(await running).not.toBe('finished');
      const again = await openSupervisedDuckDb(path, {});
      expect(await again.all('SELECT x FROM kept')).toEqual([{ x: 42 }]);
      await again.close();
    } finally {
      await files.cleanup();
    }
  });

  it('a backend killed mid-statement leaves no engine process holding the workspace', async () => {
    const files = await tempDir('valley-orphan-');
    try {
      const path = join(files.dir, 'o.duckdb');
      const script = join(files.dir, 'backend.ts');
      const supervised = join(__dirname, '../../electron/services/engine/supervised.ts');
      await writeFile(
        script,
        `import { openSupervisedDuckDb } from ${JSON.stringify(supervised)};
        void (async () => {
          const engine = await openSupervisedDuckDb(${JSON.stringify(path)}, {});
          await engine.run('CREATE TABLE kept AS SELECT 7 AS x');
          const s = await engine.session();
          void s.all(${JSON.stringify(LONG)}).catch(() => undefined);
          setTimeout(() => process.send?.('running'), 300);
        })();`,
      );
      const { execArgv } = engineHostEntry();
      const backend = spawn(process.execPath, [...execArgv, script], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      await new Promise<void>((resolve, reject) => {
        backend.on('message', () => resolve());
        backend.on('exit', (code) => reject(new Error(`the backend exited first (${code})`)));
      });
      backend.kill('SIGKILL'); // as a crash would: no close, no goodbye
      // the engine process notices its parent is gone, stops the statement and lets go of the database file
      let opened = null;
      let lastError = '';
      for (let i = 0; i < 40 && !opened; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        opened = await openSupervisedDuckDb(path, {}).catch((e: unknown) => {
          lastError = String(e);
          return null;
        });
      }
      expect(opened, lastError).not.toBeNull();
      expect(await opened?.all('SELECT x FROM kept')).toEqual([{ x: 7 }]);
      await opened?.close();
    } finally {
      await files.cleanup();
    }
  }, 60_000);
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValleyError, type MethodName, type RequestOf, type ResponseOf } from '../../shared/api';
import { bootBackend, type Backend } from '../../electron/rpc/boot';
import { memorySecretStore, type Host } from '../../electron/services/host';

export const tempDir = async (prefix = 'valley-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
};

export const testHost = (appDataDir: string): Host => ({
  kind: 'cli',
  appDataDir: () => appDataDir,
  pickPaths: null,
  secrets: memorySecretStore(),
  notify: () => undefined,
});

export interface TestBackend {
  readonly backend: Backend;
  readonly dir: string;
  /** Call through the router exactly as a transport does; throws the error value as a ValleyError. */
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>;
  close(): Promise<void>;
}

/** A real backend on a fresh workspace folder (empty, or the demo with `demoTraces` traces). */
export const startTestBackend = async (options: { demo?: boolean; demoTraces?: number } = {}): Promise<TestBackend> => {
  const { dir, cleanup } = await tempDir();
  const wsDir = join(dir, 'ws');
  let backend: Backend;
  if (options.demo) {
    const { createDemoWorkspace } = await import('../../electron/services/demo/demo');
    const ws = await createDemoWorkspace(wsDir, options.demoTraces ?? 2000);
    await ws.close();
    backend = await bootBackend({ host: testHost(dir), version: 'test', workspaceDir: wsDir, ifMissing: 'refuse' });
  } else {
    backend = await bootBackend({ host: testHost(dir), version: 'test', workspaceDir: wsDir, ifMissing: 'create' });
  }
  return {
    backend,
    dir: wsDir,
    async call(method, request) {
      const result = await backend.router.handle(method, request, { transport: 'test' });
      if (!result.ok) throw ValleyError.from(result.error);
      return result.value as never;
    },
    async close() {
      await backend.close();
      await cleanup();
    },
  };
};

// The benchmarks' way into Valley: a real backend on a workspace folder, called through the router like any transport.
import { join } from 'node:path';
import { bootBackend, type Backend } from '../electron/rpc/boot';
import { memorySecretStore } from '../electron/services/host';

export interface BenchBackend {
  readonly backend: Backend;
  call(method: string, request: unknown): Promise<unknown>;
}

export const openBenchBackend = async (dir: string, ifMissing: 'create' | 'refuse'): Promise<BenchBackend> => {
  const backend = await bootBackend({
    host: {
      kind: 'cli',
      appDataDir: () => dir,
      pickPaths: null,
      secrets: memorySecretStore(),
      notify: () => undefined,
    },
    version: 'bench',
    workspaceDir: join(dir, 'ws'),
    ifMissing,
  });
  return {
    backend,
    async call(method, request) {
      const r = await backend.router.handle(method, request, { transport: 'test' });
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value;
    },
  };
};

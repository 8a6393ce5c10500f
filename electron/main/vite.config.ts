import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// The main process bundle: native and Node-only packages stay in node_modules.
export default defineConfig({
  build: {
    rollupOptions: {
      external: [
        'electron',
        '@duckdb/node-api',
        '@duckdb/node-bindings',
        'ssh2',
        'ws',
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
      ],
    },
  },
});

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
        // figures: pdfkit reads its data files next to itself, resvg loads a native addon, the font is a file
        'pdfkit',
        '@resvg/resvg-js',
        '@expo-google-fonts/source-sans-3',
        ...builtinModules,
        ...builtinModules.map((m) => `node:${m}`),
      ],
    },
  },
});

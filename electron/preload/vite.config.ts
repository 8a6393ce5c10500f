import { defineConfig } from 'vite';

// The preload runs sandboxed: everything it uses is bundled; only `electron` stays external.
export default defineConfig({
  build: { rollupOptions: { external: ['electron'] } },
});

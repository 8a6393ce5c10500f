import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Production builds carry a strict CSP (the dev server's hot reload needs inline scripts, so not there). */
const csp = (): Plugin => ({
  name: 'valley-csp',
  apply: 'build',
  transformIndexHtml: (html) =>
    html.replace(
      '<meta charset="UTF-8" />',
      `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; worker-src 'self' blob:; object-src 'none'; base-uri 'none'" />`,
    ),
});

export default defineConfig({
  root,
  base: './',
  plugins: [react(), csp()],
  build: {
    // Where Electron's main process looks for the page (electron/main/window.ts). Browser mode builds with
    // `--outDir ../dist/renderer` instead (npm run build:renderer).
    outDir: fileURLToPath(new URL('../.vite/renderer/main_window', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
  },
});

import type { ForgeConfig } from '@electron-forge/shared-types';
import { VitePlugin } from '@electron-forge/plugin-vite';

/**
 * `npm start` (electron-forge start): Vite builds main, preload and renderer and starts Electron.
 * Installers are made by electron-builder (build/electron-builder.yml), `npm run dist`.
 */
export const config: ForgeConfig = {
  packagerConfig: {
    name: 'Valley',
    executableName: 'valley',
    // DuckDB's native library cannot be loaded from inside an asar archive; nor can resvg's addon or the figure font it reads.
    asar: { unpack: '{**/node_modules/@duckdb/**,**/*.node,**/node_modules/@expo-google-fonts/source-sans-3/**}' },
  },
  rebuildConfig: { onlyModules: [] },
  makers: [],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/main/main.ts', config: 'electron/main/vite.config.ts', target: 'main' },
        // the child process that runs DuckDB (supervised.ts finds it beside main.js as engine-host.js)
        { entry: 'electron/services/engine/engine-host.ts', config: 'electron/main/vite.config.ts', target: 'main' },
        { entry: 'electron/preload/preload.ts', config: 'electron/preload/vite.config.ts', target: 'preload' },
      ],
      renderer: [{ name: 'main_window', config: 'renderer/vite.config.ts' }],
    }),
  ],
};

export default config;

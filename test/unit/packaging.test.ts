import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { config as forgeConfig } from '../../forge.config';

const root = resolve(__dirname, '../..');

describe('packaging configs load and say what they must', () => {
  it('electron-builder makes AppImage, deb, dmg and nsis with DuckDB unpacked from asar', () => {
    const cfg = parse(readFileSync(resolve(root, 'build/electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    const targets = (k: string) => ((cfg[k] as { target: string[] }).target ?? []).map(String);
    expect(targets('linux')).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(targets('mac')).toContain('dmg');
    expect(targets('win')).toContain('nsis');
    expect(cfg['asarUnpack']).toEqual(expect.arrayContaining(['node_modules/@duckdb/**']));
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { main: string };
    expect((cfg['extraMetadata'] as { main: string }).main).toBe(pkg.main);
  });

  it('forge builds main, the engine host, preload and renderer with Vite and unpacks DuckDB', () => {
    const plugin = forgeConfig.plugins?.[0] as unknown as {
      config: { build: { entry: string; target: string }[]; renderer: { name: string }[] };
    };
    expect(plugin.config.build.map((b) => b.target).sort()).toEqual(['main', 'main', 'preload']);
    // the engine host is emitted beside main.js as engine-host.js, where supervised.ts looks for it
    expect(plugin.config.build.filter((b) => b.target === 'main').map((b) => b.entry)).toEqual([
      'electron/main/main.ts',
      'electron/services/engine/engine-host.ts',
    ]);
    expect(plugin.config.renderer[0]?.name).toBe('main_window');
    const asar = forgeConfig.packagerConfig?.asar as { unpack: string };
    expect(asar.unpack).toContain('@duckdb');
  });

  it('Electron Forge itself loads forge.config.ts (as `npm start` does)', async () => {
    const loader = (await import('@electron-forge/core/dist/util/forge-config')) as unknown as {
      default: (dir: string) => Promise<{ plugins: { name: string }[] }>;
    };
    const loaded = await loader.default(root);
    expect(loaded.plugins.map((p) => p.name)).toEqual(['vite']);
  });

  it('pins Electron 41 as an optional dependency, so install succeeds where its binary cannot be downloaded', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
      optionalDependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.optionalDependencies['electron']).toMatch(/^41\./);
    expect(pkg.devDependencies['electron']).toBeUndefined();
    expect(pkg.scripts['start']).toBe('node scripts/start.mjs');
  });

  it('the window is sandboxed, isolated and without node integration', () => {
    const src = readFileSync(resolve(root, 'electron/main/window.ts'), 'utf8');
    expect(src).toMatch(/contextIsolation: true/);
    expect(src).toMatch(/sandbox: true/);
    expect(src).toMatch(/nodeIntegration: false/);
    expect(src).toMatch(/setWindowOpenHandler/);
  });
});

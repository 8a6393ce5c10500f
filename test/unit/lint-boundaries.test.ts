import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

const messagesFor = async (filePath: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''}: ${m.message}`);
};

/** Lint messages of one import line in a virtual file at `filePath` (the file need not exist). */
const importing = async (filePath: string, spec: string, typeOnly = false): Promise<string> =>
  (
    await messagesFor(
      filePath,
      `import ${typeOnly ? 'type ' : ''}{ x } from '${spec}';\nexport const y: unknown = x;\n`,
    )
  ).join('\n');

const layers = /valley\/layers: /;

describe('layering by allow-list (eslint.layers.mjs)', () => {
  // One deliberately wrong import of each kind: each must fail lint, naming the layer and what it may import.
  const wrong: [what: string, file: string, spec: string, says: RegExp][] = [
    ['shared imports Node', 'shared/api/bad.ts', 'node:fs', /shared\/api may not import the package 'node:fs'/],
    [
      'shared imports a package other than zod',
      'shared/domain/bad.ts',
      'ws',
      /shared\/domain may not import the package 'ws'/,
    ],
    [
      'shared imports the backend',
      'shared/api/bad.ts',
      '../../electron/services/engine/duckdb',
      /shared\/api may not import electron\/services\/engine\/duckdb/,
    ],
    [
      'shared imports the renderer',
      'shared/domain/bad.ts',
      '../../renderer/api/client',
      /may not import renderer\/api\/client/,
    ],
    [
      'shared/domain imports the contract',
      'shared/domain/bad.ts',
      '../api/errors',
      /shared\/domain may not import shared\/api\/errors/,
    ],
    [
      'a service imports electron',
      'electron/services/bad.ts',
      'electron',
      /electron\/services may not import the package 'electron'/,
    ],
    [
      'a service imports the router',
      'electron/services/curate/bad.ts',
      '../../rpc/router',
      /electron\/services may not import electron\/rpc\/router/,
    ],
    ['a service imports the CLI', 'electron/services/bad.ts', '../cli/main', /may not import electron\/cli\/main/],
    [
      'a service imports the renderer',
      'electron/services/bad.ts',
      '../../renderer/features/curate/store',
      /may not import renderer\/features\/curate\/store/,
    ],
    [
      'rpc imports an adapter',
      'electron/rpc/handlers/bad.ts',
      '../../main/window',
      /electron\/rpc may not import electron\/main\/window/,
    ],
    ['rpc imports electron', 'electron/rpc/bad.ts', 'electron', /electron\/rpc may not import the package 'electron'/],
    [
      'the CLI imports a service other than host/demo',
      'electron/cli/commands/bad.ts',
      '../../services/curate/history',
      /electron\/cli may not import electron\/services\/curate\/history/,
    ],
    [
      'the CLI imports electron',
      'electron/cli/bad.ts',
      'electron',
      /electron\/cli may not import the package 'electron'/,
    ],
    [
      'main imports a service',
      'electron/main/bad.ts',
      '../services/engine/duckdb',
      /electron\/main may not import electron\/services\/engine\/duckdb/,
    ],
    [
      'main imports the renderer',
      'electron/main/bad.ts',
      '../../renderer/app/App',
      /may not import renderer\/app\/App/,
    ],
    [
      'preload imports rpc',
      'electron/preload/bad.ts',
      '../rpc/router',
      /electron\/preload may not import electron\/rpc\/router/,
    ],
    [
      'the renderer imports the backend',
      'renderer/features/curate/bad.ts',
      '../../../electron/rpc/boot',
      /may not import electron\/rpc\/boot/,
    ],
    [
      'the renderer imports Node',
      'renderer/api/bad.ts',
      'node:path',
      /renderer\/api may not import the package 'node:path'/,
    ],
    [
      'a component imports a feature',
      'renderer/components/Bad.tsx',
      '../features/shell/store',
      /renderer\/components may not import renderer\/features\/shell\/store/,
    ],
    [
      'a feature imports another feature',
      'renderer/features/cluster/bad.ts',
      '../runs/store',
      /renderer\/features\/cluster may not import renderer\/features\/runs\/store/,
    ],
    [
      'a new feature imports a feature',
      'renderer/features/newthing/bad.ts',
      '../curate/store',
      /renderer\/features\/newthing may not import renderer\/features\/curate\/store/,
    ],
    [
      'a feature imports the app shell',
      'renderer/features/curate/bad.ts',
      '../../app/sections',
      /may not import renderer\/app\/sections/,
    ],
    [
      'an app store imports a feature',
      'renderer/features/notices/bad.ts',
      '../curate/store',
      /renderer\/features\/notices may not import renderer\/features\/curate\/store/,
    ],
  ];
  it.each(wrong)('fails when %s', async (_what, file, spec, says) => {
    const msgs = await importing(file, spec);
    expect(msgs).toMatch(layers);
    expect(msgs).toMatch(says);
  });

  it('counts type-only imports too', async () => {
    expect(await importing('shared/domain/bad.ts', '../api/data', true)).toMatch(
      /shared\/domain may not import shared\/api\/data/,
    );
  });

  it('checks export-from and dynamic import()', async () => {
    const reexport = await messagesFor('electron/services/bad.ts', "export { router } from '../rpc/router';\n");
    expect(reexport.join('\n')).toMatch(/electron\/services may not import electron\/rpc\/router/);
    const dynamic = await messagesFor('shared/api/bad.ts', "export const f = () => import('node:fs');\n");
    expect(dynamic.join('\n')).toMatch(/shared\/api may not import the package 'node:fs'/);
  });

  // What each layer may import passes.
  const right: [file: string, spec: string][] = [
    ['shared/api/ok.ts', 'zod'],
    ['shared/api/ok.ts', '../domain/students'],
    ['shared/analysis/ok.ts', '../domain/random'],
    ['electron/services/curate/ok.ts', '../../../shared/api'],
    ['electron/services/curate/ok.ts', '../traces/filter-sql'],
    ['electron/services/engine/ok.ts', '@duckdb/node-api'],
    ['electron/rpc/handlers/ok.ts', '../../services/curate/history'],
    ['electron/rpc/ok.ts', 'ws'],
    ['electron/cli/ok.ts', '../rpc/boot'],
    ['electron/main/ok.ts', 'electron'],
    ['electron/main/ok.ts', '../rpc/router'],
    ['renderer/features/curate/ok.ts', '../../api/client'],
    ['renderer/features/curate/ok.ts', '../data/store'],
    ['renderer/features/curate/ok.ts', '../notices/store'],
    ['renderer/features/analysis/ok.ts', '../runs/store'],
    ['renderer/app/ok.ts', '../features/curate/store'],
  ];
  it.each(right)('lets %s import %s', async (file, spec) => {
    expect(await importing(file, spec)).not.toMatch(layers);
  });
});

describe('components talk to their store, never to renderer/api', () => {
  it('fails a component that imports the client', async () => {
    const msgs = await importing('renderer/features/curate/Bad.tsx', '../../api/client');
    expect(msgs).toMatch(/valley\/no-api-in-components: .*move the api\(\) call into the store/);
  });
  it('lets a store import it', async () => {
    expect(await importing('renderer/features/curate/store.ts', '../../api/client')).toBe('');
  });
});

describe('the rest of the house rules', () => {
  it('fails `any` and default exports', async () => {
    const msgs = await messagesFor('electron/services/bad3.ts', 'export default function f(x: any) { return x; }\n');
    expect(msgs.join('\n')).toContain('no-explicit-any');
    expect(msgs.join('\n')).toContain('Use named exports');
  });
});

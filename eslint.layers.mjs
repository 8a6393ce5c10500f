// Layering by allow-list, as VS Code does: each folder says which folders and which packages it may import;
// everything else is refused, type-only imports included. The most specific folder wins; `*` is one folder
// name and stands for "each of them on its own" (a feature may import itself, not its siblings).
// Cycles between files are checked by test/unit/import-cycles.test.ts.
import { dirname, relative, resolve, sep } from 'node:path';

const node = 'node:*';
/** Stores every screen may use: notices (errors, toasts), tasks (long work followed by id), shell (navigation, theme). */
const appStores = ['renderer/features/notices', 'renderer/features/tasks', 'renderer/features/shell'];
const feature = ['renderer/api', 'renderer/components', 'shared', ...appStores];
const featurePackages = ['react', 'zustand', 'plotly.js'];

/** @type {{ dir: string, may: string[], packages: string[], why: string }[]} */
export const layers = [
  // shared/: pure TypeScript for both sides. Domain types and pure logic at the bottom, the contract over them.
  { dir: 'shared/domain', may: [], packages: ['zod'], why: 'domain types and pure logic: nothing but zod' },
  { dir: 'shared/api', may: ['shared/domain'], packages: ['zod'], why: 'the contract: zod schemas over shared/domain' },
  { dir: 'shared/analysis', may: ['shared/domain'], packages: [], why: 'pure analysis code' },
  // The backend: Node only, never Electron; platform needs come through services/host.
  {
    dir: 'electron/services',
    may: ['shared'],
    packages: [
      node,
      'zod',
      'yaml',
      '@duckdb/node-api',
      'ssh2',
      'ssh-config',
      'pdfkit',
      '@resvg/resvg-js',
      'fzstd',
      '@huggingface/tokenizers',
    ],
    why: 'services are the backend: shared and other services, never rpc, adapters or Electron',
  },
  {
    dir: 'electron/rpc',
    may: ['electron/services', 'shared'],
    packages: [node, 'zod', 'ws'],
    why: 'the router and its handlers translate requests into service calls',
  },
  // Adapters over the router.
  {
    dir: 'electron/cli',
    may: ['electron/rpc', 'electron/services/host', 'electron/services/demo', 'shared'],
    packages: [node],
    why: 'the CLI is an adapter: it calls the router (and makes a demo workspace before there is one)',
  },
  {
    dir: 'electron/main',
    may: ['electron/rpc', 'electron/services/host', 'shared'],
    packages: [node, 'electron'],
    why: 'Electron main is an adapter: it calls the router',
  },
  { dir: 'electron/preload', may: ['shared/api'], packages: ['electron'], why: 'preload only bridges IPC' },
  // The renderer: browser code; the backend only through renderer/api.
  { dir: 'renderer/api', may: ['shared'], packages: [], why: 'the one typed client' },
  {
    dir: 'renderer/components',
    may: ['shared'],
    packages: ['react', 'plotly.js', 'plotly.js-dist-min'],
    why: 'components are generic: nothing feature-specific',
  },
  { dir: 'renderer/features/notices', may: ['renderer/api', 'shared'], packages: ['zustand'], why: 'an app store' },
  {
    dir: 'renderer/features/tasks',
    may: ['renderer/api', 'shared', 'renderer/features/notices'],
    packages: ['zustand'],
    why: 'an app store',
  },
  {
    dir: 'renderer/features/shell',
    may: ['renderer/api', 'shared', 'renderer/features/notices'],
    packages: ['zustand'],
    why: 'an app store',
  },
  // Features: their own folder, the client, components, shared and the app stores; named others only, no cycles.
  {
    dir: 'renderer/features/curate',
    may: [...feature, 'renderer/features/data'],
    packages: featurePackages,
    why: 'a feature (curate reads the datasets list)',
  },
  {
    dir: 'renderer/features/runs',
    may: [...feature, 'renderer/features/cluster'],
    packages: featurePackages,
    why: 'a feature (the Runs screen shows the cluster panel)',
  },
  {
    dir: 'renderer/features/data',
    may: [...feature, 'renderer/features/runs'],
    packages: featurePackages,
    why: 'a feature (the results dialog imports runs and edits their labels)',
  },
  {
    dir: 'renderer/features/analysis',
    may: [...feature, 'renderer/features/runs', 'renderer/features/curate'],
    packages: featurePackages,
    why: 'a feature (analysis shows run provenance and opens traces in curate)',
  },
  {
    dir: 'renderer/features/study',
    may: [...feature, 'renderer/features/analysis'],
    packages: featurePackages,
    why: 'a feature (a study cell opens its traces in curate the way analysis does)',
  },
  {
    dir: 'renderer/features/*',
    may: feature,
    packages: featurePackages,
    why: 'a feature: api, components, shared and the app stores',
  },
  {
    dir: 'renderer/app',
    may: ['renderer', 'shared'],
    packages: ['react', 'zustand'],
    why: 'the app shell composes the features',
  },
  { dir: 'renderer/main', may: ['renderer/app'], packages: ['react', 'react-dom'], why: 'the entry point' },
  { dir: 'renderer/types', may: [], packages: ['plotly.js'], why: 'ambient type declarations' },
];

/** Folder (or file, without extension) `rel` lies in `dir` (`*` matches one name). Returns the matched prefix. */
const within = (rel, dir) => {
  const parts = rel.split('/');
  const want = dir.split('/');
  if (parts.length < want.length) return null;
  for (let i = 0; i < want.length; i++) if (want[i] !== '*' && want[i] !== parts[i]) return null;
  return parts.slice(0, want.length).join('/');
};

const stripExt = (p) => p.replace(/\.(d\.ts|tsx?|mjs|cjs|js)$/, '');

/** The layer of a root-relative path (most specific first), with `self`: the folder it may always import. */
export const layerOf = (rel) => {
  const path = stripExt(rel);
  let best = null;
  for (const layer of layers) {
    const self = within(path, layer.dir);
    if (self && (!best || layer.dir.split('/').length > best.layer.dir.split('/').length)) best = { layer, self };
  }
  return best;
};

const packageName = (spec) =>
  spec.startsWith('node:')
    ? 'node:*'
    : spec.startsWith('@')
      ? spec.split('/').slice(0, 2).join('/')
      : spec.split('/')[0];

/** Why `spec` imported from root-relative `fromRel` breaks the layering, or null when it is allowed. */
export const violation = (fromRel, spec, root) => {
  const from = layerOf(fromRel);
  if (!from) return null;
  const { layer, self } = from;
  if (!spec.startsWith('.')) {
    const name = packageName(spec);
    if (layer.packages.includes(name)) return null;
    return `${self} may not import the package '${spec}' (${layer.why}; packages allowed: ${layer.packages.join(', ') || 'none'})`;
  }
  const target = stripExt(
    relative(root, resolve(root, dirname(fromRel), spec))
      .split(sep)
      .join('/'),
  );
  if (within(target, self)) return null;
  if (layer.may.some((dir) => within(target, dir))) return null;
  return `${self} may not import ${target} (${layer.why}; allowed: ${[self, ...layer.may].join(', ')})`;
};

/** The ESLint rule: every import, export-from and dynamic import() of a file checked against its layer. */
export const layersPlugin = {
  rules: {
    layers: {
      meta: {
        type: 'problem',
        schema: [],
        docs: { description: 'Each folder imports only what its layer allows (eslint.layers.mjs).' },
      },
      create(context) {
        const root = context.cwd;
        const fromRel = relative(root, context.filename).split(sep).join('/');
        if (!layerOf(fromRel)) return {};
        const check = (node) => {
          const spec = node.source?.value;
          if (typeof spec !== 'string') return;
          const why = violation(fromRel, spec, root);
          if (why) context.report({ node: node.source, message: why });
        };
        return {
          ImportDeclaration: check,
          ExportNamedDeclaration: check,
          ExportAllDeclaration: check,
          ImportExpression: check,
        };
      },
    },
    'no-api-in-components': {
      meta: {
        type: 'problem',
        schema: [],
        docs: { description: 'Components talk to their feature store, never to renderer/api.' },
      },
      create(context) {
        const root = context.cwd;
        const fromRel = relative(root, context.filename).split(sep).join('/');
        return {
          ImportDeclaration(node) {
            const spec = node.source.value;
            if (typeof spec !== 'string' || !spec.startsWith('.')) return;
            const target = relative(root, resolve(root, dirname(fromRel), spec))
              .split(sep)
              .join('/');
            if (within(stripExt(target), 'renderer/api')) {
              context.report({
                node: node.source,
                message: `${fromRel} is a component: it reads its feature's store and calls its actions; move the api() call into the store`,
              });
            }
          },
        };
      },
    },
  },
};

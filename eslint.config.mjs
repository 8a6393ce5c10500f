// Lint, including the layer boundaries: where code runs decides what it may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream', 'url', 'util', 'zlib', 'worker_threads'];

const restrict = (message, patterns) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.vite/', 'out/', 'test-results/', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.config.{ts,mjs}', '**/vite.config.ts', 'forge.config.ts', 'renderer/types/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  // shared/: pure TypeScript for both sides — no Electron, no Node, no app layers.
  {
    files: ['shared/**/*.ts'],
    rules: restrict('shared/ is pure: it may not import Electron, Node built-ins, electron/ or renderer/.', [
      'electron',
      'node:*',
      ...nodeBuiltins,
      '**/electron/**',
      '**/renderer/**',
      'react',
      'zustand',
    ]),
  },
  // The backend (services, rpc adapters, CLI): Node only, never Electron, never the renderer.
  {
    files: ['electron/services/**/*.ts', 'electron/rpc/**/*.ts', 'electron/cli/**/*.ts'],
    rules: restrict('The backend never imports electron (platform needs come through Host) or renderer/.', [
      'electron',
      '**/renderer/**',
      '**/main/**',
      '**/preload/**',
    ]),
  },
  // Electron's main process and preload: the only places that may import `electron`; never the renderer.
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: restrict('Electron code must not import renderer/.', ['**/renderer/**']),
  },
  // The renderer: browser code; it reaches the backend only through the typed client.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    rules: restrict('renderer/ runs in the browser: no Electron, no Node, no backend imports; use renderer/api.', [
      'electron',
      'node:*',
      ...nodeBuiltins,
      '**/electron/**',
    ]),
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    rules: { 'max-lines': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly' } },
  },
);

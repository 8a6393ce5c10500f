// Lint, including the layer boundaries: where code runs decides what it may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './eslint.layers.mjs';

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
  // Layering by allow-list (eslint.layers.mjs): each folder imports only the folders and packages its layer names.
  {
    files: ['shared/**/*.ts', 'electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['**/vite.config.ts', '**/*.test.ts'],
    plugins: { valley: layersPlugin },
    rules: { 'valley/layers': 'error' },
  },
  // Components read their feature's store and call its actions; only stores talk to renderer/api.
  {
    files: ['renderer/**/*.tsx'],
    plugins: { valley: layersPlugin },
    rules: { 'valley/no-api-in-components': 'error' },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    rules: { 'max-lines': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly' },
    },
  },
);

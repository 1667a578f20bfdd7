// ESLint holds the folder lines of CONVENTIONS.md: what code in each folder may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nativeAndElectron = ['electron', 'better-sqlite3', 'isolated-vm'];

/** Folder rules, exported so a test can prove each one refuses what it should. */
export const layering = [
  {
    // src/shared runs anywhere: no I/O, nothing from the process-specific folders.
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nativeAndElectron].map((name) => ({
            name,
            message: 'src/shared has no I/O: it runs in every process.',
          })),
          patterns: [
            {
              group: ['**/main/**', '**/preload/**', '**/renderer/**'],
              message: 'src/shared imports nothing from main, preload or renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    // src/main runs in plain Node; only src/main/electron may touch Electron.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only src/main/electron imports electron: the core must run in plain Node.' },
          ],
          patterns: [
            {
              group: ['**/renderer/**', '**/preload/**', '**/electron/**'],
              message: 'The core does not import the shells above it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer talks only to the API client: it imports src/shared and its own files.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...nativeAndElectron].map((name) => ({
            name,
            message: 'The renderer imports only src/shared and its own files.',
          })),
          patterns: [
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'The renderer imports only src/shared and its own files.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...[...nodeBuiltins, 'better-sqlite3', 'isolated-vm'].map((name) => ({
              name,
              message: 'The preload is a bridge: electron and src/shared only.',
            })),
            { name: 'zod', message: 'A sandboxed preload cannot load packages: use src/shared/api-methods.ts.' },
          ],
          patterns: [
            { group: ['**/main/**', '**/renderer/**'], message: 'The preload imports only electron and src/shared.' },
            {
              group: ['**/shared/api.js', '**/shared/events.js', '**/shared/roster.js', '**/shared/models.js'],
              message: 'These load zod, which a sandboxed preload cannot: use src/shared/api-methods.ts.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'tmp/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  { files: ['src/renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  ...layering,
);

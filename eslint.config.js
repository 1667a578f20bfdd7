// ESLint holds the folder lines of CONVENTIONS.md: what code in each folder may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nativeAndElectron = ['electron', 'better-sqlite3', 'isolated-vm'];

/**
 * What each folder of src/main may import from the others (src/shared and packages aside).
 * Lower parts never import higher ones: the ledger, sandbox, mcp and documents import none;
 * the shells (cli, server, electron) sit on host.
 */
/** The parts the host composes: every folder of src/main below the shells. */
const PARTS = [
  'audit',
  'documents',
  'evals',
  'gateway',
  'kpis',
  'ledger',
  'mcp',
  'models',
  'prompts',
  'roster',
  'runtime',
  'sandbox',
  'trace',
];

export const MAIN_IMPORTS = {
  documents: [],
  ledger: [],
  sandbox: [],
  mcp: [],
  models: ['documents'],
  roster: ['documents', 'models'],
  gateway: ['ledger', 'mcp'],
  prompts: ['ledger'],
  kpis: ['ledger'],
  runtime: ['gateway', 'ledger', 'mcp', 'models', 'prompts', 'roster', 'sandbox'],
  evals: ['ledger', 'runtime', 'roster'],
  audit: ['kpis', 'ledger', 'roster'],
  trace: ['ledger'],
  host: PARTS,
  server: ['host', 'audit', 'ledger'],
  cli: [...PARTS, 'host', 'server'],
  electron: ['audit', 'host', 'ledger', 'sandbox'],
};

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
  // src/main runs in plain Node (only src/main/electron may touch Electron), and inside it
  // dependencies point down: each folder imports only the folders MAIN_IMPORTS names.
  ...Object.entries(MAIN_IMPORTS).map(([folder, allowed]) => {
    const forbidden = Object.keys(MAIN_IMPORTS).filter((other) => other !== folder && !allowed.includes(other));
    const patterns = [
      { group: ['**/renderer/**', '**/preload/**'], message: 'The core does not import the shells above it.' },
    ];
    if (forbidden.length > 0) {
      patterns.push({
        regex: `^(\\.\\./)+(${forbidden.join('|')})/`,
        message: `src/main/${folder} imports only ${allowed.length > 0 ? allowed.join(', ') : 'src/shared'} inside src/main (MAIN_IMPORTS in eslint.config.js).`,
      });
    }
    return {
      files: [`src/main/${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths:
              folder === 'electron'
                ? []
                : [
                    {
                      name: 'electron',
                      message: 'Only src/main/electron imports electron: the core must run in plain Node.',
                    },
                  ],
            patterns,
          },
        ],
      },
    };
  }),
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

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints snippets as if they lived in each folder, with the project's own config: proves the
// folder rules of CONVENTIONS.md are enforced, not just written down.
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('folder import rules', () => {
  it('keep src/shared free of I/O and of the folders above it', async () => {
    expect(
      await problems('src/shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"),
    ).toHaveLength(1);
    expect(
      await problems('src/shared/x.ts', "import Database from 'better-sqlite3';\nexport const x = Database;"),
    ).toHaveLength(1);
    expect(
      await problems('src/shared/x.ts', "import { Ledger } from '../main/ledger/index.js';\nexport const x = Ledger;"),
    ).toHaveLength(1);
    expect(await problems('src/shared/x.ts', "import { z } from 'zod';\nexport const x = z;")).toHaveLength(0);
  });

  it('let only src/main/electron import electron', async () => {
    expect(
      await problems('src/main/ledger/x.ts', "import { app } from 'electron';\nexport const x = app;"),
    ).toHaveLength(1);
    expect(
      await problems('src/main/electron/x.ts', "import { app } from 'electron';\nexport const x = app;"),
    ).toHaveLength(0);
  });

  it('keep the renderer to src/shared and its own files', async () => {
    expect(
      await problems(
        'src/renderer/src/x.ts',
        "import { Ledger } from '../../main/ledger/index.js';\nexport const x = Ledger;",
      ),
    ).toHaveLength(1);
    expect(await problems('src/renderer/src/x.ts', "import fs from 'node:fs';\nexport const x = fs;")).toHaveLength(1);
    expect(
      await problems(
        'src/renderer/src/x.ts',
        "import { canonicalJson } from '../../shared/json.js';\nexport const x = canonicalJson;",
      ),
    ).toHaveLength(0);
  });

  it('keep the sandboxed preload free of packages it cannot load', async () => {
    expect(
      await problems('src/preload/x.ts', "import { API } from '../shared/api.js';\nexport const x = API;"),
    ).toHaveLength(1);
    expect(
      await problems(
        'src/preload/x.ts',
        "import { API_METHODS } from '../shared/api-methods.js';\nexport const x = API_METHODS;",
      ),
    ).toHaveLength(0);
  });

  it('keep the preload a bridge', async () => {
    expect(
      await problems('src/preload/x.ts', "import { Ledger } from '../main/ledger/index.js';\nexport const x = Ledger;"),
    ).toHaveLength(1);
    expect(
      await problems('src/preload/x.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;"),
    ).toHaveLength(0);
  });
});

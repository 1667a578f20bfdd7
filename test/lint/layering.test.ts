import { readdirSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { MAIN_IMPORTS } from '../../eslint.config.js';

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

  it('point dependencies down inside src/main', async () => {
    const imports = (path: string, from: string) =>
      problems(path, `import * as m from '${from}';\nexport const x = m;`);
    // The ledger is the bottom: it imports no other part, from any depth.
    expect(await imports('src/main/ledger/x.ts', '../runtime/runtime.js')).toHaveLength(1);
    expect(await imports('src/main/ledger/migrations/x.ts', '../../host/warden.js')).toHaveLength(1);
    expect(await imports('src/main/ledger/x.ts', '../../shared/events.js')).toHaveLength(0);
    // Roster checks models' rules; models never reach back up into the roster.
    expect(await imports('src/main/roster/x.ts', '../models/scripted.js')).toHaveLength(0);
    expect(await imports('src/main/models/x.ts', '../roster/load.js')).toHaveLength(1);
    expect(await imports('src/main/models/x.ts', '../documents/files.js')).toHaveLength(0);
    // The runtime does not import the host that composes it, nor the shells.
    expect(await imports('src/main/runtime/x.ts', '../host/warden.js')).toHaveLength(1);
    expect(await imports('src/main/cli/commands/x.ts', '../../host/warden.js')).toHaveLength(0);
    // A package path that happens to contain a folder's name is not a folder of src/main.
    expect(await imports('src/main/mcp/x.ts', '@modelcontextprotocol/sdk/server/index.js')).toHaveLength(0);
  });

  it('place every folder of src/main in MAIN_IMPORTS', () => {
    const folders = readdirSync('src/main', { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(Object.keys(MAIN_IMPORTS).sort()).toEqual(folders.sort());
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The smallest valid roster: warden.yaml, one stdio MCP server, one agent with only id and role. */
export const MINIMAL: Record<string, string> = {
  'warden.yaml': 'organisation:\n  name: Acme\nbusinessUnits:\n  - id: finance\n    name: Finance\n',
  'mcp.json': JSON.stringify({ mcpServers: { erp: { command: 'node', args: ['erp-server.js'] } } }),
  'agents/a.yaml': 'id: a\nrole: Reads invoices and files them\n',
};

/** Roster folders written by tests, removed by cleanup(). */
export function useRosters(): { write: (files: Record<string, string | null>) => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    /** Writes MINIMAL overlaid with `files` (null removes a file) into a fresh folder. */
    write(files) {
      const dir = mkdtempSync(join(tmpdir(), 'warden-roster-'));
      made.push(dir);
      const all: Record<string, string | null> = { ...MINIMAL, ...files };
      for (const [name, text] of Object.entries(all)) {
        if (text === null) continue;
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), text);
      }
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpConnection } from '../../../src/main/mcp/connection.js';
import { expandText } from '../../../src/main/mcp/expand.js';
import { serverVariables } from '../../../src/shared/mcp-variables.js';
import { tempDir } from '../../helpers/temp.js';
import { hostileServer } from './servers.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

describe('variables in mcp.json values', () => {
  const env = { TOKEN: 'abc', EMPTY: '' };

  it("fills in ${VAR}, VS Code's ${env:VAR} and a default after :-", () => {
    expect(expandText('s', 'url', 'Bearer ${TOKEN}/${env:TOKEN}', env)).toBe('Bearer abc/abc');
    expect(expandText('s', 'url', '${MISSING:-fallback} ${EMPTY:-also} ${TOKEN:-unused}', env)).toBe(
      'fallback also abc',
    );
  });

  it('refuses an unset or empty variable, naming the server, the field and the variable', () => {
    expect(() => expandText('crm', 'args[1]', '--key=${MISSING}', env)).toThrow(
      'mcp.json: mcpServers.crm.args[1]: environment variable MISSING is not set',
    );
    expect(() => expandText('crm', 'env.KEY', '${EMPTY}', env)).toThrow('environment variable EMPTY is not set');
  });

  it('finds every variable of an entry, with its field and whether it has a default', () => {
    const entry = { command: '${BIN}', args: ['--db=${DB}'], env: { K: '${env:KEY}', M: '${MODE:-x}' } };
    expect(serverVariables(entry)).toEqual([
      { variable: 'BIN', field: 'command', fallback: false },
      { variable: 'DB', field: 'args[0]', fallback: false },
      { variable: 'KEY', field: 'env.K', fallback: false },
      { variable: 'MODE', field: 'env.M', fallback: true },
    ]);
  });

  it("fills in a stdio server's command and args when it starts", async () => {
    const base = hostileServer('ok');
    const script = 'args' in base ? base.args[0]! : '';
    // The hostile server describes its one tool with its mode, the argument after its script.
    const connection = new McpConnection(
      'hostile',
      { command: '${WARDEN_TEST_NODE}', args: [script, '${WARDEN_TEST_MODE}'], env: {} },
      {
        logDir: join(dir, 'logs'),
        env: { ...process.env, WARDEN_TEST_NODE: process.execPath, WARDEN_TEST_MODE: 'ok' },
      },
    );
    try {
      expect((await connection.listTools()).map((t) => [t.name, t.description])).toEqual([['do', 'ok']]);
    } finally {
      await connection.close();
    }
  });
});

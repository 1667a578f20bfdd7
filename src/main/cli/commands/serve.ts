import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../../shared/errors.js';
import { osKeychain } from '../../audit/keychain.js';
import { defaultDataDir } from '../../host/data-dir.js';
import { consoleApi } from '../../host/api/index.js';
import { installLastResort } from '../../host/last-resort.js';
import { openWarden } from '../../host/warden.js';
import { startConsoleServer } from '../../server/server.js';
import { int, parse, str } from '../args.js';
import { EXIT, type CommandRun } from '../io.js';
import { DEMO_ROSTER } from './demo.js';

const NAME = 'warden serve';

/** The built renderer, next to the sources. */
const RENDERER = fileURLToPath(new URL('../../../../out/renderer', import.meta.url));

/** `warden serve`: the console in a browser, on 127.0.0.1, behind a one-time token. */
export const serve: CommandRun = async (argv, io) => {
  const parsed = parse(
    NAME,
    argv,
    { roster: { type: 'string' }, 'data-dir': { type: 'string' }, port: { type: 'string' } },
    0,
  );
  const rosterDir = str(parsed, 'roster', NAME) ?? DEMO_ROSTER;
  const dataDir = resolve(str(parsed, 'data-dir', NAME) ?? defaultDataDir());
  const port = int(parsed, 'port', NAME, 0, 65_535) ?? 0;
  // Checkpoints are signed with the key sealed by the OS keychain where one is reachable.
  const keyWrapper = osKeychain();
  const warden = await openWarden({ rosterDir, dataDir, workers: 2, ...(keyWrapper ? { keyWrapper } : {}) });
  const api = consoleApi(warden);
  let server: Awaited<ReturnType<typeof startConsoleServer>>;
  try {
    server = await startConsoleServer({ api, staticDir: RENDERER, port });
  } catch (error) {
    api.close();
    await warden.close();
    throw listenProblem(error, port);
  }
  io.out(`Warden console for ${rosterDir} (data in ${dataDir}):`);
  io.out(`  ${server.url}`);
  io.out('The link works once; keep this running, stop it with Ctrl-C.');
  let removeLastResort: () => void = () => undefined;
  const code = await new Promise<number>((done) => {
    const stop = () => done(EXIT.ok);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // From here on an error nobody answered for is recorded and survived, not the end of the runs.
    removeLastResort = installLastResort({ target: process, ledger: warden.ledger, warn: io.err, stop: done });
  });
  await server.close();
  api.close();
  await warden.close();
  removeLastResort();
  return code;
};

/** A port that cannot be listened on is the person's choice to change: one line, not a stack trace. */
function listenProblem(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`${NAME}: port ${port} is in use; pick another with --port`);
  if (code === 'EACCES')
    return new UsageError(`${NAME}: port ${port} needs privileges this user lacks; pick one above 1023 with --port`);
  return error;
}

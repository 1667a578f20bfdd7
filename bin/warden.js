#!/usr/bin/env node
// The `warden` command. Runs the TypeScript sources through tsx, so the command and the code
// it runs can never drift apart; the packaged desktop app ships its own built copy.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/main.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Not the user's mistake: a bug. Say so plainly, with the stack for the report.
  process.stderr.write(`warden: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 70;
}

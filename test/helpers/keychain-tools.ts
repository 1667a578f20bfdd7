import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Stand-ins for the OS keychain's command-line tools (no Secret Service or macOS Keychain runs
 * here): real executables on a PATH of their own that speak `secret-tool`'s and `security`'s
 * arguments, exit codes and streams, keeping what they store in one JSON file.
 */
export interface KeychainTools {
  /** The folder to put first on PATH. */
  bin: string;
  /** Everything the stand-in keychain holds, by its attributes. */
  items(): Record<string, string>;
  /** An environment whose PATH finds only these tools (and node). */
  env: NodeJS.ProcessEnv;
}

const SECRET_TOOL = `
const fs = require('node:fs');
const file = process.env.FAKE_KEYCHAIN_FILE;
if (process.env.FAKE_KEYCHAIN_DOWN) {
  process.stderr.write('secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY\\n');
  process.exit(1);
}
const items = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
const [command, ...rest] = process.argv.slice(2);
const attributes = rest.filter((a) => !a.startsWith('--')).join(' ');
if (command === 'store') {
  items[attributes] = fs.readFileSync(0, 'utf8');
  fs.writeFileSync(file, JSON.stringify(items));
} else if (command === 'lookup') {
  if (!(attributes in items)) process.exit(1);
  process.stdout.write(items[attributes]);
} else process.exit(2);
`;

const SECURITY = `
const fs = require('node:fs');
const file = process.env.FAKE_KEYCHAIN_FILE;
const items = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
const args = process.argv.slice(2);
const flag = (list, name) => list[list.indexOf(name) + 1];
if (args[0] === 'default-keychain') process.stdout.write('    "/Users/x/Library/Keychains/login.keychain-db"\\n');
else if (args[0] === '-i') {
  for (const line of fs.readFileSync(0, 'utf8').split('\\n').filter(Boolean)) {
    const words = line.split(' ');
    if (words[0] !== 'add-generic-password') process.exit(1);
    items[flag(words, '-s') + ' ' + flag(words, '-a')] = flag(words, '-w');
  }
  fs.writeFileSync(file, JSON.stringify(items));
} else if (args[0] === 'find-generic-password') {
  const key = flag(args, '-s') + ' ' + flag(args, '-a');
  if (!(key in items)) { process.stderr.write('security: The specified item could not be found in the keychain.\\n'); process.exit(44); }
  process.stdout.write(items[key] + '\\n');
} else process.exit(2);
`;

/** Writes both stand-in tools into `dir/bin`, their keychain into `dir/keychain.json`. */
export function keychainTools(dir: string): KeychainTools {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const file = join(dir, 'keychain.json');
  for (const [name, source] of [
    ['secret-tool', SECRET_TOOL],
    ['security', SECURITY],
  ] as const) {
    writeFileSync(join(bin, name), `#!${process.execPath}\n${source}`);
    chmodSync(join(bin, name), 0o755);
  }
  return {
    bin,
    items: () => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {}),
    env: { PATH: bin, FAKE_KEYCHAIN_FILE: file },
  };
}

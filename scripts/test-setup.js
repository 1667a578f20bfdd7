#!/usr/bin/env node
// The first step of `npm test`: the system packages the tests use, installed where this
// machine allows it (root or password-less sudo, with apt-get), or one line naming them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What the tests need beyond node_modules: a file that proves it, and the Debian package. */
const NEEDS = [
  // The console's e2e tests drive Debian's Chromium: Playwright cannot fetch its own here.
  { name: 'chromium', present: () => existsSync('/usr/bin/chromium'), pkg: 'chromium' },
  // The PDF report's tests read its text back (compressed, in the embedded font's glyph ids).
  { name: 'pdftotext', present: () => onPath('pdftotext'), pkg: 'poppler-utils' },
];

/** Whether a command is on PATH. */
function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a command quietly; what it printed is shown only when it fails. */
function run(argv) {
  const done = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (done.status !== 0)
    process.stderr.write(`${done.stdout ?? ''}${done.stderr ?? ''}`.split('\n').slice(-20).join('\n'));
  return done.status === 0;
}

const missing = NEEDS.filter((need) => !need.present());
if (missing.length === 0) process.exit(0);

const packages = missing.map((need) => need.pkg);
const asRoot = process.getuid?.() === 0;
const sudo = asRoot ? [] : spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n'] : null;
if (sudo && onPath('apt-get')) {
  process.stderr.write(`npm test: installing ${packages.join(' ')} (apt-get)\n`);
  if (run([...sudo, 'apt-get', 'update', '-qq']) && run([...sudo, 'apt-get', 'install', '-y', '-qq', ...packages])) {
    const still = NEEDS.filter((need) => !need.present());
    if (still.length === 0) process.exit(0);
  }
}
process.stderr.write(
  `npm test needs ${missing.map((need) => need.name).join(' and ')}: install ${packages.join(' ')} ` +
    `(on Debian or Ubuntu: sudo apt-get install ${packages.join(' ')}), then run npm test again\n`,
);
process.exit(1);

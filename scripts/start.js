#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary is present or can be fetched now;
// otherwise one line saying so, and what works without it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws when it was never installed.
    delete require.cache[require.resolve('electron')];
    return { path: require('electron'), why: null };
  } catch (error) {
    return { path: null, why: String(error?.message ?? error).split('\n')[0] };
  }
}

let electron = electronBinary();
if (!electron.path) {
  process.stderr.write("Warden: fetching Electron's binary (first start)…\n");
  const fetched = spawnSync(process.execPath, [require.resolve('electron/install.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 180_000,
    encoding: 'utf8',
  });
  electron = electronBinary();
  if (!electron.path) {
    // The installer's first line is its error (e.g. "RequestError: getaddrinfo ENOTFOUND …").
    const firstLine = (fetched.stderr ?? '').split('\n').find((line) => line.trim() && !line.trim().startsWith('at '));
    const reason = (firstLine ?? fetched.error?.message ?? electron.why ?? 'unknown error').trim();
    console.log(
      `Warden: no desktop window here (Electron's binary could not be fetched: ${reason}); opening the console in the browser instead.`,
    );
    // The renderer is built once; electron-vite needs only electron's package.json for that.
    if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
      spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
        cwd: root,
        stdio: 'ignore',
      });
    }
    const served = spawnSync(process.execPath, [join(root, 'bin', 'warden.js'), 'serve', ...process.argv.slice(2)], {
      cwd: root,
      stdio: 'inherit',
    });
    process.exit(served.status ?? 0);
  }
}

const result = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'preview'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);

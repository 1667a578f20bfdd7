import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Three bundles: the main process (with the sandbox worker and the ledger's verify and export workers as entries
// of their own, since they run as their own process and threads), the preload bridge, and the React renderer.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/electron/index.ts'),
          worker: resolve(__dirname, 'src/main/sandbox/worker.ts'),
          'verify-worker': resolve(__dirname, 'src/main/ledger/verify-worker.ts'),
          'verify-folder-worker': resolve(__dirname, 'src/main/ledger/verify-folder-worker.ts'),
          'export-worker': resolve(__dirname, 'src/main/ledger/export-worker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    // A sandboxed preload must be CommonJS.
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
  },
});

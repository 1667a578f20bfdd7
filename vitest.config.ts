import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A session folder, so that the demo ledger is built once and shared (test/helpers/demo.ts).
    globalSetup: ['test/global-setup.ts'],
    // Sandbox and CLI tests start real processes; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    // Tests never touch the developer's own keychain; keychain tests bring a keychain tool of their own.
    env: { WARDEN_KEYCHAIN: 'off' },
    hookTimeout: 30_000,
  },
});

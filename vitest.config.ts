import { defineConfig } from 'vitest/config'

// Tests must not depend on the machine they run on: each test builds the environment glt sees.
export default defineConfig({
  test: {
    // Once per run, for every project: build bin/glt, and scan all spawned glt output for tokens.
    globalSetup: ['test/e2e/build-once.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/keychain/**'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'keychain',
          include: ['test/keychain/**/*.test.ts'],
          // A private D-Bus bus with an unlocked gnome-keyring, shared by the run (Linux only).
          globalSetup: ['test/keychain/global-setup.ts'],
          // Child processes, not threads: the native keyring reads DBUS_SESSION_BUS_ADDRESS from the
          // real process environment, which a worker thread's process.env does not change.
          pool: 'forks',
          testTimeout: 20_000,
        },
      },
    ],
  },
})

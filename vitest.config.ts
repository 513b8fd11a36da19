import { defineConfig } from 'vitest/config';

// Three layers (STYLE.md): unit tests beside the code; integration tests against a real
// PostgreSQL (fresh database, every migration from empty) and a real livekit-server; browser
// tests in Debian's Chromium against the built app running as `npm start` runs it; fault
// tests that break the real parts on purpose.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{server,db,media}/**/*.test.ts', 'web/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/setup/integration.global.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Each test breaks a real part (connections, a private PostgreSQL cluster, the
        // media server, Redis, the app process) and checks what users keep. One at a time,
        // and after every other project (groupOrder): their storms load both cores, and
        // the browser tests' timings should not depend on them.
        test: {
          name: 'faults',
          sequence: { groupOrder: 1 },
          include: ['tests/faults/**/*.test.ts'],
          globalSetup: ['tests/setup/integration.global.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/setup/browser.global.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // what a page shows after a navigation can take more than the default 1 s of
          // expect.poll on a loaded CI machine; these tests assert what is shown, not how fast
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});

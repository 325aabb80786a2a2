import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The legal engine is pure and fast; a slow test is a bug, not a reason to wait.
    testTimeout: 20_000,
  },
});

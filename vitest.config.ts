import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // rebuilds dist/ when a source is newer: e2e tests must never run an old bundle
    globalSetup: ["./tools/vitest-global-setup.ts"],
    // two cores on the project's machines: more workers only thrash
    maxWorkers: 2,
    reporters: ["default", "./tools/summary-reporter.ts"],
  },
});

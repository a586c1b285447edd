// Mutation testing (StrykerJS, command runner over Bun). Run by scripts/mutate.ts, one area at
// a time: ARBY_MUTATE (files to mutate) and ARBY_MUTATE_TESTS (the fast tests that guard them).
const area = process.env.ARBY_MUTATE_AREA ?? 'all'
export default {
  testRunner: 'command',
  commandRunner: { command: `bun test --timeout 60000 ${process.env.ARBY_MUTATE_TESTS ?? 'tests/math tests/scan tests/contract tests/redact.test.ts'}` },
  mutate: (process.env.ARBY_MUTATE ?? 'lib/math/**/*.ts,lib/scan/**/*.ts,lib/contract/**/*.ts,lib/redact.ts').split(','),
  coverageAnalysis: 'off',
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `data/mutation/${area}.json` },
  tempDirName: 'data/stryker-tmp',
  cleanTempDir: 'always',
  // The committed devnet state comes along (2 MB), and the sources its freshness hash covers stay
  // byte for byte (no "// @ts-nocheck" prepended: Bun does not type-check anyway): without both,
  // every devnet test seeds a chain (~20 s).
  ignorePatterns: ['data', 'dist', 'coverage', '.git'],
  disableTypeChecks: false,
}

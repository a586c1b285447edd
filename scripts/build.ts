/**
 * Builds the single binary dist/arby (Bun runtime + ARBY + shipped configs and the smoke
 * fixture). It runs without node_modules; the devnet still needs the anvil npm package.
 * Run: npm run build
 */
const started = performance.now()
const result = await Bun.build({
  entrypoints: ['cmd/main.ts'],
  compile: { outfile: 'dist/arby', autoloadBunfig: false, autoloadDotenv: false },
  minify: true,
})
if (!result.success) {
  for (const message of result.logs) console.error(message)
  process.exit(1)
}
console.error(`dist/arby built in ${(performance.now() - started).toFixed(0)} ms`)

/**
 * Gate M3 (SMOKE): unit tests, then the smoke scan as a subprocess (clean env, temp
 * output dir, timeout), then the 4 artifacts against the schemas and the M3 invariants.
 *
 *   bun run gates/m3.ts [--skip-tests] [--artifacts DIR] [--binary dist/arby]
 *
 * --artifacts only validates an existing run directory (used by the gate's own tests).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { banner, checkArtifacts, finish, Report, runScan, runUnitTests } from './_gate.ts'

const { values } = parseArgs({ options: { 'skip-tests': { type: 'boolean' }, artifacts: { type: 'string' }, binary: { type: 'string' } } })
const report = new Report()
banner('ARBY M3 CI GATE (SMOKE Pipeline)')

if (values.artifacts) {
  checkArtifacts(report, values.artifacts, { runMode: 'SMOKE_SIMULATOR', minQuotesFetched: 1 })
} else {
  if (!values['skip-tests']) await runUnitTests(report)
  const dir = mkdtempSync(join(tmpdir(), 'arby-m3-'))
  try {
    if (await runScan(report, 'SMOKE Scan (1 cycle)', ['--mode', 'smoke', '--cycles', '1', '--output-dir', dir], 60_000, values.binary)) {
      checkArtifacts(report, dir, { runMode: 'SMOKE_SIMULATOR', minQuotesFetched: 1 })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
finish(report, 'M3 CI GATE')

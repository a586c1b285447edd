/**
 * Gate M4 (REAL): unit tests, then the embedded devnet, then the REAL scan as a subprocess
 * against it (clean env, timeout, mainnet config unchanged), then the 4 artifacts against
 * the schemas and the M4 invariants. Gate M3 must still pass (run it separately).
 *
 *   bun run gates/m4.ts [--skip-tests] [--artifacts DIR]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { banner, checkArtifacts, finish, Report, runScan, runUnitTests } from './_gate.ts'

const { values } = parseArgs({ options: { 'skip-tests': { type: 'boolean' }, artifacts: { type: 'string' } } })
const report = new Report()
banner('ARBY M4 CI GATE (REAL Pipeline)')

if (values.artifacts) {
  checkArtifacts(report, values.artifacts, { runMode: 'REGISTRY_REAL', minQuotesFetched: 1 })
} else {
  if (!values['skip-tests']) await runUnitTests(report)
  const devnet = await startDevnet()
  report.ok(`Devnet up at ${devnet.url} (chain ${devnet.chainId}, ${devnet.source})`)
  const dir = mkdtempSync(join(tmpdir(), 'arby-m4-'))
  try {
    const args = ['--mode', 'real', '--rpc', devnet.url, '--config', 'config/arbitrum.yaml', '--cycles', '1', '--output-dir', dir]
    if (await runScan(report, 'REAL Scan (1 cycle)', args, 120_000)) {
      checkArtifacts(report, dir, { runMode: 'REGISTRY_REAL', minQuotesFetched: 1 })
    }
  } finally {
    await devnet.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
finish(report, 'M4 CI GATE')

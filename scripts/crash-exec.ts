/**
 * The long crash-safety proof of live execution: N trials on a fresh devnet, each SIGKILLing the
 * trading process at a random moment (or at each named step in turn), restarting it on the same
 * ledger and auditing ledger against chain. Prints a table; exit 1 on any violation.
 * Run: npm run crash:exec -- --trials 100 [--seed S]
 */
import { parseArgs } from 'node:util'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { FAILPOINTS } from '../lib/exec/failpoint.ts'
import { table } from '../lib/report/table.ts'
import { crashTrial, type TrialResult } from '../tests/helpers/crash.ts'
import { removeTempDirs } from '../tests/helpers/cli.ts'
import { rig } from '../tests/helpers/exec.ts'
import { mulberry32 } from '../tests/helpers/random.ts'

const { values } = parseArgs({ options: { trials: { type: 'string', default: '100' }, seed: { type: 'string', default: String(Date.now() % 1_000_000) } } })
const trials = Number(values.trials)
const random = mulberry32(Number(values.seed))
const devnet = await startDevnet()
const started = performance.now()
const results: (TrialResult & { how: string })[] = []
try {
  const r = await rig(devnet)
  let baseline = await devnet.client.snapshot()
  for (let i = 0; i < trials; i++) {
    // Every third trial kills at a named step (in turn), the others at a random moment.
    const kill = i % 3 === 0 ? { failpoint: FAILPOINTS[(i / 3) % FAILPOINTS.length]! } : { afterMs: 200 + Math.floor(random() * 2600) }
    const trial = await crashTrial(r, { kill }, baseline)
    baseline = trial.baseline
    results.push({ ...trial.result, how: 'failpoint' in kill ? `after ${kill.failpoint}` : 'random' })
    process.stderr.write(`${process.stderr.isTTY ? '\r' : '\n'}trial ${i + 1}/${trials}: ${trial.result.ended}, left ${trial.result.leftIn ?? 'no trade'}, ${trial.result.violations.length} violations   `)
  }
} finally {
  await devnet.stop()
  removeTempDirs()
}
process.stderr.write('\n')

const byLeft = new Map<string, { trials: number; killed: number; trades: number; settled: number; violations: number }>()
for (const r of results) {
  const key = r.leftIn ?? '(before any trade)'
  const row = byLeft.get(key) ?? { trials: 0, killed: 0, trades: 0, settled: 0, violations: 0 }
  row.trials++
  if (r.ended === 'killed') row.killed++
  row.trades += r.trades
  row.settled += r.settled
  row.violations += r.violations.length
  byLeft.set(key, row)
}
console.log(`crash trials, seed ${values.seed}: ${results.length} in ${((performance.now() - started) / 1000).toFixed(0)} s`)
console.log(table(['left in state', 'trials', 'killed', 'trades after restart', 'settled', 'violations'], [...byLeft].map(([state, row]) => [state, String(row.trials), String(row.killed), String(row.trades), String(row.settled), String(row.violations)])).join('\n'))
const violations = results.flatMap((r) => r.violations.map((v) => `${r.how}: ${v}`))
for (const line of violations.slice(0, 20)) console.log(`  ${line}`)
console.log(`${violations.length} violations (nonces used twice, different bytes for one nonce, trades lost or unfinished, ledger ≠ chain)`)
process.exitCode = violations.length ? 1 : 0

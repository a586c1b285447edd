/**
 * The long Phase 3 proof: N random (route, size) cases, each predicted by ARBY's exact math,
 * simulated at the pinned block and mined on the devnet; every profit to the wei, every gas to
 * the unit. Run: npm run fuzz:sim -- --n 20000 [--seed S]
 */
import { parseArgs } from 'node:util'
import { runSimFuzz } from '../tests/helpers/simFuzz.ts'

const { values } = parseArgs({ options: { n: { type: 'string', default: '20000' }, seed: { type: 'string', default: String(Date.now() % 1_000_000) } } })
const started = performance.now()
const report = await runSimFuzz({ n: Number(values.n), seed: Number(values.seed) })
console.log(`sim fuzz, seed ${values.seed}: ${report.simulated} simulated, ${report.mined} mined (${report.profitable} gaining ≥ 0, ${report.unprofitable} losing; ${report.skipped} sizes skipped), ${report.mismatches.length} mismatches, ${((performance.now() - started) / 1000).toFixed(1)} s`)
console.log(`families: ${JSON.stringify(report.families)}`)
for (const line of report.mismatches.slice(0, 20)) console.log(`  ${line}`)
process.exitCode = report.mismatches.length ? 1 : 0

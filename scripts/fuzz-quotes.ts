/**
 * The long differential fuzz for releases: the V2, V3 and Algebra fuzz tests with N swaps
 * each (default 100,000) and a chosen seed. Run: bun run fuzz:quotes --n 100000 [--seed S]
 */
import { parseArgs } from 'node:util'
import { runInherited } from '../lib/proc.ts'

const { values } = parseArgs({ options: { n: { type: 'string', default: '100000' }, seed: { type: 'string', default: String(Date.now() % 1_000_000) } } })
console.error(`fuzz: ${values.n} swaps per family, seed ${values.seed}`)
const code = await runInherited([process.execPath, 'test', '--timeout', '3600000', 'tests/math/'], {
  ...(process.env as Record<string, string>), ARBY_FUZZ_SWAPS: values.n!, ARBY_FUZZ_SEED: values.seed!,
})
process.exit(code)

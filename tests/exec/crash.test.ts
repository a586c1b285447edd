import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Hex } from 'viem'
import { startDevnet, type Devnet } from '../../lib/devnet/startDevnet.ts'
import { FAILPOINTS } from '../../lib/exec/failpoint.ts'
import { crashTrial } from '../helpers/crash.ts'
import { rig, type Rig } from '../helpers/exec.ts'
import { mulberry32 } from '../helpers/random.ts'

/**
 * The executing process killed (SIGKILL: no hook runs) at every step of a trade, and at random
 * moments, then restarted on the same ledger: the ledger and the chain must agree exactly.
 * `bun run scripts/crash-exec.ts --trials 100` runs the long version.
 */
describe('crash safety of live execution', () => {
  let devnet: Devnet
  let r: Rig
  let baseline: Hex
  beforeAll(async () => {
    devnet = await startDevnet()
    r = await rig(devnet)
    baseline = await devnet.client.snapshot()
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  test.each([...FAILPOINTS])('behavior: killed right after the step "%s": the restart resolves every trade; no nonce used twice, no trade lost', async (failpoint) => {
    const trial = await crashTrial(r, { kill: { failpoint } }, baseline)
    baseline = trial.baseline
    expect(trial.result.ended).toBe('killed')
    expect(trial.result.violations).toEqual([])
    expect(trial.result.settled).toBeGreaterThanOrEqual(1)
  })

  test('behavior: killed at random moments (seeded): the same invariants hold', async () => {
    const random = mulberry32(Number(process.env.ARBY_CRASH_SEED ?? 11))
    for (let i = 0; i < 3; i++) {
      const trial = await crashTrial(r, { kill: { afterMs: 300 + Math.floor(random() * 2200) } }, baseline)
      baseline = trial.baseline
      expect(trial.result.violations).toEqual([])
    }
  })
})

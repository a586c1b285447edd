import { describe, expect, test } from 'bun:test'
import { runSimFuzz } from '../helpers/simFuzz.ts'

const CASES = Number(process.env.ARBY_SIM_FUZZ_CASES ?? 1000)
const SEED = Number(process.env.ARBY_FUZZ_SEED ?? 20261126)

describe('Phase 3 proof: predicted = simulated = mined, to the wei', () => {
  test(`behavior: ${CASES} random (route, size) cases over V3↔V3, V3↔Algebra, V3↔V2, Algebra↔V2: simulated profit = predicted gross, the mined transaction pays it and uses the simulated gas`, async () => {
    const report = await runSimFuzz({ n: CASES, seed: SEED })
    console.log(`sim fuzz: ${report.simulated} simulated (${report.profitable} gaining ≥ 0, ${report.unprofitable} losing), ${report.mined} mined, ${report.skipped} sizes no pool could fill or dust; ${JSON.stringify(report.families)}`)
    expect(report.mismatches.slice(0, 5)).toEqual([])
    expect(report.simulated).toBe(CASES)
    expect(report.mined).toBe(report.simulated)
    // Both outcomes are exercised, in every family and direction.
    expect(report.profitable).toBeGreaterThan(report.simulated * 0.2)
    expect(report.unprofitable).toBeGreaterThan(report.simulated * 0.2)
    expect(Object.keys(report.families).sort()).toEqual(['algebra→uniswap_v2', 'algebra→uniswap_v3', 'uniswap_v2→algebra', 'uniswap_v2→uniswap_v3', 'uniswap_v3→algebra', 'uniswap_v3→uniswap_v2', 'uniswap_v3→uniswap_v3'])
  }, 300_000)
})

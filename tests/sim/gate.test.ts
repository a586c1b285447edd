import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../lib/config/load.ts'
import { evaluateCycle } from '../../lib/scan/evaluate.ts'
import { decodeRevert, encodeArb } from '../../lib/sim/executor.ts'
import { applySimulation } from '../../lib/sim/gate.ts'
import { planCycle } from '../../lib/sim/plan.ts'
import type { SimOutcome } from '../../lib/sim/simulate.ts'
import { SIMULATED_EXECUTOR, SIMULATED_OWNER } from '../../lib/sim/target.ts'
import { cycleInput, quoteOf } from '../scan/fixtures.ts'
import { encodeErrorResult } from 'viem'
import { executorAbi } from '../../lib/sim/executor.ts'

/** The simulation gate on a hand-made cycle: one opportunity (buy 1 WETH at 3000 on the anchor, sell at 3010), outcomes chosen. */
const config = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)
const WETH = 10n ** 18n
const USDC = 10n ** 6n
const GROSS = 10n * USDC
const q = (venue: string, side: 'sell' | 'buy', size: bigint, usdc: bigint) => quoteOf(config, 'WETH/USDC', venue, side, size, usdc)
const input = cycleInput([
  q('uniswap_v3:500', 'sell', WETH / 10n, 300n * USDC), q('uniswap_v3:500', 'buy', WETH, 3000n * USDC),
  q('sushiswap_v3:3000', 'sell', WETH / 10n, 301n * USDC), q('sushiswap_v3:3000', 'sell', WETH, 3010n * USDC),
])
const result = evaluateCycle(input, config)
const target = { to: SIMULATED_EXECUTOR, from: SIMULATED_OWNER, code: '0x' as const, l1: 'nodeinterface' as const }
const ok = (profit: bigint, gasUsed = 200_000n, l1Gas = 100_000n): SimOutcome => ({ method: 'eth_simulateV1', ok: true, profit, event: null, revert: null, gasUsed, l1Gas, l1Error: null })
const reverted = (data: `0x${string}`): SimOutcome => ({ method: 'eth_simulateV1', ok: false, profit: null, event: null, revert: decodeRevert(data), gasUsed: 150_000n, l1Gas: 100_000n, l1Error: null })
const gate = (outcome: SimOutcome) => {
  const { plans, unplannable } = planCycle(result, input, config)
  expect(plans.map((p) => p.id)).toEqual([`WETH/USDC|uniswap_v3:500>sushiswap_v3:3000|${WETH}`])
  return applySimulation(result, input, config, target, plans, [outcome], unplannable)
}

describe('the simulation gate (pure)', () => {
  test('default: the plan is the opportunity\'s exact executor call, its floor the predicted gross', () => {
    const [plan] = planCycle(result, input, config).plans
    expect(plan!.gross).toBe(GROSS)
    expect(plan!.calldata).toBe(encodeArb({ sellPool: plan!.call.sellPool, sellKind: 0, buyPool: plan!.call.buyPool, buyKind: 0, base: config.tokens.get('WETH')!.address, quote: config.tokens.get('USDC')!.address, size: WETH, minProfit: GROSS }))
  })

  test('behavior: equal profit passes with the simulated figures: gas = L2 + L1, cost at the pinned base fee, net after both', () => {
    const after = gate(ok(GROSS))
    const o = after.opportunities[0]!
    // (200k + 100k) gas × 0.01 gwei = 3e12 wei at 300 USDC / 0.1 WETH = 9,000 USDC units.
    expect([o.gas_source, o.gas_units, o.gas_cost_wei, o.gas_cost, o.net_profit]).toEqual(['simulation', '300000', '3000000000000', '9000', (GROSS - 9000n).toString()])
    expect(o.simulation).toEqual({ method: 'eth_simulateV1', block: 1000, status: 'passed', predicted_profit: '10000000', profit: '10000000', quote_out: null, quote_in: null, gas_used: '200000', l1_gas: '100000', l2_cost_wei: '2000000000000', l1_cost_wei: '1000000000000', net_after_sim: '9991000', revert: null })
    expect([after.stats.simulated, after.stats.sim_passed, after.stats.sim_mismatches, after.stats.opportunities]).toEqual([1, 1, 0, 1])
    expect(after.simulations).toHaveLength(1)
    expect(after.simulations[0]).toMatchObject({ id: o.id, kind: 'opportunity', from: SIMULATED_OWNER, to: SIMULATED_EXECUTOR, code_override: true, status: 'passed' })
  })

  test.each([
    ['one wei more than predicted', ok(GROSS + 1n), 'SIM_MISMATCH', `simulated profit ${GROSS + 1n} ≠ predicted ${GROSS} at block 1000`],
    ['ProfitTooLow (one wei less)', reverted(encodeErrorResult({ abi: executorAbi, errorName: 'ProfitTooLow', args: [GROSS - 1n, GROSS] })), 'SIM_MISMATCH', `simulated profit ${GROSS - 1n} ≠ predicted ${GROSS} at block 1000 (ProfitTooLow(${GROSS - 1n}, ${GROSS}))`],
    ['Unprofitable (the legs moved)', reverted(encodeErrorResult({ abi: executorAbi, errorName: 'Unprofitable', args: [100n, 150n] })), 'SIM_MISMATCH', `simulated profit -50 ≠ predicted ${GROSS} at block 1000 (Unprofitable(100, 150))`],
    ['a pool\'s revert', reverted(encodeErrorResult({ abi: [{ type: 'error', name: 'Error', inputs: [{ type: 'string', name: 'm' }] }], errorName: 'Error', args: ['SPL'] })), 'SIM_REVERT', 'the executor\'s transaction reverts at block 1000: reverted: SPL'],
    ['ShortFill', reverted(encodeErrorResult({ abi: executorAbi, errorName: 'ShortFill', args: [5n, 10n] })), 'SIM_REVERT', 'the executor\'s transaction reverts at block 1000: ShortFill(5, 10)'],
    ['costs above the margin (L1 spike)', ok(GROSS, 200_000n, 3_400_000_000n), 'SIM_NET_BELOW_THRESHOLD', 'net after simulated gas -92006000 < threshold 1500000 USDC units (profit 10000000, L2 gas 200000, L1 gas 3400000000)'],
  ])('error: %s → %s, the opportunity becomes a reject of stage simulation', (_, outcome, code, message) => {
    const after = gate(outcome)
    expect(after.opportunities).toEqual([])
    const reject = after.rejects.at(-1)!
    expect([reject.code, reject.stage, reject.message]).toEqual([code, 'simulation', message])
    expect(after.stats.rejects_total).toBe(after.rejects.length)
    expect(after.stats.candidates_rejected).toBe(result.stats.candidates_rejected + 1)
    expect(after.stats.sim_mismatches).toBe(code === 'SIM_MISMATCH' ? 1 : 0)
    expect(after.stats.sim_passed).toBe(0)
    expect(after.spreads.find((s) => s.id === `WETH/USDC|uniswap_v3:500>sushiswap_v3:3000|${WETH}`)!.code).toBe(code as never)
  })

  test('error: no L1 estimate (NodeInterface absent) means no cost: PREFLIGHT_VALIDATION_FAILED, never a guess', () => {
    const after = gate({ ...ok(GROSS), l1Gas: null, l1Error: 'NodeInterface.gasEstimateL1Component failed: execution reverted' })
    expect(after.rejects.at(-1)!.message).toBe('no cost for the simulated trade: NodeInterface.gasEstimateL1Component failed: execution reverted')
    expect(after.simulations[0]!.status).toBe('unsupported')
  })
})

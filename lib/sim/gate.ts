import type { Config } from '../config/resolve.ts'
import type { OpportunityCore, OptimalSize, Reject } from '../contract/parts.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import type { Simulation, SimulationRecord } from '../contract/simulation.ts'
import { byOpportunity, spreadId, thresholdOf } from '../scan/candidates.ts'
import type { Spread } from '../scan/candidates.ts'
import { withRejects, type CycleResult } from '../scan/cycleResult.ts'
import { makeReject } from '../scan/reject.ts'
import type { CycleInput } from '../scan/types.ts'
import { optimalId, type Plan, type Unplannable } from './plan.ts'
import type { SimOutcome, SimulationTarget } from './simulate.ts'

type Verdict = { code: RejectCode | null; simulation: Simulation; gasUnits: bigint | null; costWei: bigint | null; cost: bigint | null; net: bigint | null; why: string }

/**
 * The simulation gate, a pure function of the cycle's verdict and what the simulations returned
 * at the same pinned block: the simulated profit must equal the predicted gross to the wei
 * (any difference is a defect: SIM_MISMATCH), a revert is SIM_REVERT with its decoded error, and
 * the net after the real L2 gas and L1 data cost must still clear the threshold
 * (SIM_NET_BELOW_THRESHOLD). Opportunities that pass carry their simulated figures; optimal
 * sizes are informational and only annotated.
 */
export function applySimulation(result: CycleResult, input: CycleInput, config: Config, target: SimulationTarget, plans: Plan[], outcomes: SimOutcome[], unplannable: Unplannable[]): CycleResult {
  const verdicts = new Map<string, Verdict>()
  plans.forEach((plan, i) => verdicts.set(`${plan.kind}|${plan.id}`, judge(plan, outcomes[i]!, input, config, result)))
  for (const item of unplannable) verdicts.set(`${item.kind}|${item.id}`, unsupported(item, input))

  const rejects: Reject[] = []
  const opportunities: OpportunityCore[] = []
  const live = config.execution.mode === 'live'
  for (const opportunity of result.opportunities) {
    const verdict = verdicts.get(`opportunity|${opportunity.id}`)
    if (!verdict) {
      opportunities.push(opportunity)
      continue
    }
    if (verdict.code) {
      rejects.push(makeReject(verdict.code, 'simulation', verdict.why, { pair: opportunity.pair, buy_venue: opportunity.buy.venue, sell_venue: opportunity.sell.venue, size: opportunity.size }))
      continue
    }
    const pair = config.pairs.find((p) => p.name === opportunity.pair)!
    opportunities.push({
      ...opportunity,
      gas_units: verdict.gasUnits!.toString(),
      gas_cost_wei: verdict.costWei!.toString(),
      gas_cost: verdict.cost!.toString(),
      gas_cost_usd: result.valuation?.usd(verdict.cost!, pair.quote) ?? null,
      net_profit: verdict.net!.toString(),
      net_profit_usd: result.valuation?.usd(verdict.net!, pair.quote) ?? null,
      gas_source: 'simulation',
      simulation: verdict.simulation,
      // Live mode: every gate passed, the simulation last — ready (the kill switch may still block it).
      ...(live && { is_execution_ready: true, execution_blockers: [] }),
    })
  }
  opportunities.sort(byOpportunity)

  const rejected = new Map(rejects.map((r) => [spreadId(r.pair!, r.buy_venue!, r.sell_venue!, r.size!), r.code]))
  const simulatedSpread = (spread: Spread): Spread => {
    const code = rejected.get(spread.id)
    if (code) return { ...spread, code }
    const verdict = verdicts.get(`opportunity|${spread.id}`)
    return verdict && !verdict.code ? { ...spread, gasCost: verdict.cost, net: verdict.net, netUsdMicro: verdict.net === null ? null : result.valuation?.usdMicro(verdict.net, spread.pair.quote) ?? null } : spread
  }
  const optimal: OptimalSize[] = result.optimal.map((o) => ({ ...o, simulation: verdicts.get(`optimal|${optimalId(o)}`)?.simulation ?? null }))

  const simulated = result.opportunities.filter((o) => verdicts.has(`opportunity|${o.id}`))
  const statuses = simulated.map((o) => verdicts.get(`opportunity|${o.id}`)!.simulation.status)
  const records: SimulationRecord[] = plans.map((plan) => ({
    id: plan.id, kind: plan.kind, from: target.from, to: target.to, calldata: plan.calldata, code_override: target.code !== null,
    ...verdicts.get(`${plan.kind}|${plan.id}`)!.simulation,
  }))
  return withRejects(result, rejects, {
    opportunities,
    optimal,
    simulations: records,
    blocker: live ? null : result.blocker,
    stats: {
      ...result.stats,
      opportunities: opportunities.length,
      spread_ids_profitable: opportunities.length,
      blocked_spreads: opportunities.length,
      candidates_rejected: result.stats.candidates_rejected + rejects.length,
      simulated: statuses.filter((s) => s !== 'unsupported').length,
      sim_passed: statuses.filter((s) => s === 'passed').length,
      sim_mismatches: statuses.filter((s) => s === 'mismatch').length,
      execution_ready_count: opportunities.filter((o) => o.is_execution_ready).length,
    },
  }, {
    spreads: (spreads) => spreads.map(simulatedSpread),
    opportunitySpreads: (all) => all.filter(({ spread }) => !rejected.has(spread.id)).map(({ index, spread }) => ({ index, spread: simulatedSpread(spread) })),
  })
}

function judge(plan: Plan, outcome: SimOutcome, input: CycleInput, config: Config, result: CycleResult): Verdict {
  const base = {
    method: outcome.method, block: input.block, predicted_profit: plan.gross.toString(),
    profit: null, quote_out: null, quote_in: null, gas_used: outcome.gasUsed?.toString() ?? null, l1_gas: outcome.l1Gas?.toString() ?? null,
    l2_cost_wei: null, l1_cost_wei: null, net_after_sim: null, revert: null,
  } satisfies Simulation extends infer S ? Omit<S, 'status'> : never
  const none = { gasUnits: null, costWei: null, cost: null, net: null }
  if (!outcome.ok) {
    const revert = outcome.revert!
    // Below the floor (= the predicted gross) the error carries what the trade did gain: a mismatch.
    if (revert.name === 'ProfitTooLow' || (revert.name === 'Unprofitable' && plan.gross > 0n)) {
      const [a, b] = revert.args.map((x) => BigInt(x))
      const profit = revert.name === 'ProfitTooLow' ? a! : a! - b!
      return { code: 'SIM_MISMATCH', simulation: { ...base, status: 'mismatch', profit: profit.toString(), revert: revert.text }, ...none, why: `simulated profit ${profit} ≠ predicted ${plan.gross} at block ${input.block} (${revert.text})` }
    }
    return { code: 'SIM_REVERT', simulation: { ...base, status: 'reverted', revert: revert.text }, ...none, why: `the executor's transaction reverts at block ${input.block}: ${revert.text}` }
  }
  const profit = outcome.profit!
  const legs = { profit: profit.toString(), quote_out: outcome.event?.quoteOut.toString() ?? null, quote_in: outcome.event?.quoteIn.toString() ?? null }
  if (profit !== plan.gross) {
    return { code: 'SIM_MISMATCH', simulation: { ...base, ...legs, status: 'mismatch' }, ...none, why: `simulated profit ${profit} ≠ predicted ${plan.gross} at block ${input.block}` }
  }
  if (outcome.l1Gas === null || input.gasPriceWei === null || outcome.gasUsed === null) {
    return { code: 'PREFLIGHT_VALIDATION_FAILED', simulation: { ...base, ...legs, status: 'unsupported', revert: outcome.l1Error }, ...none, why: `no cost for the simulated trade: ${outcome.l1Error ?? 'no gas price at this block'}` }
  }
  const l2CostWei = outcome.gasUsed * input.gasPriceWei
  const l1CostWei = outcome.l1Gas * input.gasPriceWei
  const cost = result.valuation?.gasCost(l2CostWei + l1CostWei, plan.pair.quote) ?? null
  if (cost === null) {
    return { code: 'PREFLIGHT_VALIDATION_FAILED', simulation: { ...base, ...legs, status: 'unsupported' }, ...none, why: `no WETH→${plan.pair.quote.symbol} rate at this block to price gas` }
  }
  const net = profit - cost
  const costs = { l2_cost_wei: l2CostWei.toString(), l1_cost_wei: l1CostWei.toString(), net_after_sim: net.toString() }
  const figures = { gasUnits: outcome.gasUsed + outcome.l1Gas, costWei: l2CostWei + l1CostWei, cost, net }
  const threshold = thresholdOf(plan.pair, plan.buyIn, config)
  if (net < threshold) {
    return { code: 'SIM_NET_BELOW_THRESHOLD', simulation: { ...base, ...legs, ...costs, status: 'below_threshold' }, ...figures, why: `net after simulated gas ${net} < threshold ${threshold} ${plan.pair.quote.symbol} units (profit ${profit}, L2 gas ${outcome.gasUsed}, L1 gas ${outcome.l1Gas})` }
  }
  return { code: null, simulation: { ...base, ...legs, ...costs, status: 'passed' }, ...figures, why: 'passed' }
}

function unsupported(item: Unplannable, input: CycleInput): Verdict {
  return {
    code: 'PREFLIGHT_VALIDATION_FAILED',
    simulation: {
      method: 'none', block: input.block, status: 'unsupported', predicted_profit: item.gross.toString(), profit: null, quote_out: null, quote_in: null,
      gas_used: null, l1_gas: null, l2_cost_wei: null, l1_cost_wei: null, net_after_sim: null, revert: item.reason,
    },
    gasUnits: null, costWei: null, cost: null, net: null, why: `not simulated: ${item.reason}`,
  }
}

import type { Config } from '../config/resolve.ts'
import type { SimulationRecord } from '../contract/simulation.ts'
import type { CycleResult } from '../scan/evaluate.ts'
import type { Rate } from '../scan/valuation.ts'
import type { Plan } from '../sim/plan.ts'
import { routeId } from '../scan/candidates.ts'

/** A trade the cycle could make: a plan whose simulation passed, with every figure it was judged on. */
export type ExecCandidate = {
  plan: Plan
  sim: SimulationRecord
  route: string
  buyVenue: string
  sellVenue: string
  gasUsed: bigint
  l1Gas: bigint
  costWei: bigint
  /** costWei in quote units (rounded up) and profit − that, as the simulation gate computed them. */
  cost: bigint
  net: bigint
  netUsdMicro: bigint | null
  weiToQuote: Rate
  quoteToUsdMicro: Rate | null
}

/** Splits an opportunity or optimal-size id (`pair|buy>sell|size`) into its route. */
export function routeOfId(id: string): { route: string; buyVenue: string; sellVenue: string } {
  const [pair, venues] = id.split('|') as [string, string]
  const [buyVenue, sellVenue] = venues.split('>') as [string, string]
  return { route: routeId(pair, buyVenue, sellVenue), buyVenue, sellVenue }
}

/**
 * Every plan of the cycle whose simulation passed (grid opportunities still standing after the
 * gate, and optimal sizes), best first by net in USD, then by id: a pure function of the cycle.
 * Routes in `excluded` (quarantined, cooling down) are left out.
 */
export function execCandidates(result: CycleResult, plans: readonly Plan[], config: Config, excluded: ReadonlySet<string> = new Set()): ExecCandidate[] {
  const standing = new Set(result.opportunities.map((o) => o.id))
  const records = new Map(result.simulations.map((r) => [`${r.kind}|${r.id}`, r]))
  const weth = config.tokens.get('WETH')!
  const out: ExecCandidate[] = []
  for (const plan of plans) {
    const sim = records.get(`${plan.kind}|${plan.id}`)
    if (!sim || sim.status !== 'passed') continue
    if (plan.kind === 'opportunity' && !standing.has(plan.id)) continue
    const { route, buyVenue, sellVenue } = routeOfId(plan.id)
    if (excluded.has(route)) continue
    const weiToQuote = result.valuation?.rate(weth, plan.pair.quote)
    if (!weiToQuote) continue
    const costWei = BigInt(sim.l2_cost_wei!) + BigInt(sim.l1_cost_wei!)
    const net = BigInt(sim.net_after_sim!)
    const quoteToUsdMicro = result.valuation?.usdMicroRate(plan.pair.quote) ?? null
    out.push({
      plan, sim, route, buyVenue, sellVenue,
      gasUsed: BigInt(sim.gas_used!), l1Gas: BigInt(sim.l1_gas!), costWei, cost: BigInt(sim.profit!) - net, net,
      netUsdMicro: quoteToUsdMicro ? (net * quoteToUsdMicro.num) / quoteToUsdMicro.den : null,
      weiToQuote, quoteToUsdMicro,
    })
  }
  return out.sort((a, b) => compareDesc(a.netUsdMicro, b.netUsdMicro) || a.plan.id.localeCompare(b.plan.id) || a.plan.kind.localeCompare(b.plan.kind))
}

function compareDesc(a: bigint | null, b: bigint | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a > b ? -1 : 1
}

/** Wei converted to quote units the way the gate did (rounded up: costs are never understated). */
export function weiInQuote(wei: bigint, rate: Rate): bigint {
  return (wei * rate.num + rate.den - 1n) / rate.den
}

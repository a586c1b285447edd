import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import * as v from 'valibot'
import { usdMicroOf, type Config } from '../config/resolve.ts'
import { PaperTrade, type ExecutionCycle } from '../contract/execution.ts'
import { bpsString, toFixedPlaces } from '../math/ratio.ts'
import { fsError } from '../report/outputDir.ts'
import type { CycleResult } from '../scan/evaluate.ts'
import type { CycleInput } from '../scan/types.ts'
import type { Plan } from '../sim/plan.ts'
import { execCandidates } from './candidates.ts'

/**
 * Paper trading, as the original's PaperSession: every plan whose simulation passed becomes a
 * WOULD_EXECUTE trade at its simulated fill (profit and gas as simulated at the pin, net after
 * both), at most once per route per cooldown; running totals feed the truth report's pnl,
 * cumulative_pnl and pnl_normalized. Nothing is signed. One JSON line per trade in
 * `paper_trades.jsonl`.
 */
export class PaperSession {
  private readonly lastByRoute = new Map<string, number>()
  private totalTrades = 0
  private totalMicro = 0n
  /** Sum of the trades' bps in hundredths (the original sums per-trade bps). */
  private totalBpsHundredths = 0n
  readonly path: string

  constructor(outputDir: string, private readonly config: Config, private readonly now: () => number = () => Date.now()) {
    this.path = join(outputDir, 'paper_trades.jsonl')
  }

  onCycle({ input, result, plans }: { input: CycleInput; result: CycleResult; plans: Plan[] }): ExecutionCycle {
    const { cooldown_seconds: cooldown } = this.config.execution.paper
    const at = this.now()
    let recorded = 0
    let skipped = 0
    for (const c of execCandidates(result, plans, this.config)) {
      const last = this.lastByRoute.get(c.route)
      if (last !== undefined && at - last < cooldown * 1000) {
        skipped++
        continue
      }
      const usd = c.quoteToUsdMicro
      const micro = (amount: bigint) => (usd ? (amount * usd.num) / usd.den : 0n)
      const netMicro = micro(c.net)
      const bps = bpsString(c.net, c.plan.buyIn)
      const trade: PaperTrade = {
        spread_id: c.plan.id,
        opportunity_id: `opp_${c.plan.id}`,
        outcome: 'WOULD_EXECUTE',
        numeraire: 'USDC',
        amount_in_numeraire: toFixedPlaces(micro(c.plan.buyIn), 6, 6),
        expected_pnl_numeraire: toFixedPlaces(netMicro, 6, 6),
        expected_pnl_bps: bps,
        gas_price_gwei: toFixedPlaces(input.gasPriceWei ?? 0n, 9, 9),
        gas_estimate: Number(c.gasUsed + c.l1Gas),
        timestamp: new Date(at).toISOString(),
        chain_id: input.chainId,
        dex_buy: c.buyVenue,
        dex_sell: c.sellVenue,
        dex_a: c.buyVenue,
        dex_b: c.sellVenue,
        pool_a: c.plan.call.buyPool,
        pool_b: c.plan.call.sellPool,
        token_in: c.plan.pair.base.symbol,
        token_out: c.plan.pair.quote.symbol,
        reject_reason: null,
        metadata: {
          block: input.block, route: c.route, kind: c.plan.kind, size: c.plan.size.toString(),
          simulated_profit: c.plan.gross.toString(), net_after_sim: c.net.toString(), quote_token: c.plan.pair.quote.symbol,
        },
      }
      try {
        appendFileSync(this.path, `${JSON.stringify(v.parse(PaperTrade, trade))}\n`)
      } catch (error) {
        throw fsError(error, this.path)
      }
      this.lastByRoute.set(c.route, at)
      this.totalTrades++
      this.totalMicro += netMicro
      this.totalBpsHundredths += BigInt(bps.replace('.', ''))
      recorded++
    }
    const notional = usdMicroOf(this.config.execution.paper.notional_capital_usdc)
    return {
      mode: 'paper',
      trade: null,
      kill: null,
      paper: {
        recorded,
        skipped_cooldown: skipped,
        total_trades: this.totalTrades,
        would_execute_count: this.totalTrades,
        total_pnl_usdc: toFixedPlaces(this.totalMicro, 6, 6),
        total_pnl_bps: toFixedPlaces(this.totalBpsHundredths, 2, 2),
        notional_capital_usdc: toFixedPlaces(notional, 6, 6),
        // total / notional × 100, 4 decimals, truncated.
        normalized_return_pct: notional === 0n ? '0.0000' : toFixedPlaces((this.totalMicro * 1_000_000n) / notional, 4, 4),
      },
    }
  }
}

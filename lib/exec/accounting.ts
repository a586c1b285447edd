import type { TradeRecord } from '../contract/execution.ts'
import { weiInQuote } from './candidates.ts'
import type { Receipt } from './chain.ts'

/** A receipt as the chain gave it, and the executor's quote-token balance after its block minus before. */
export type ReceiptFacts = Receipt & { balanceDelta: bigint }

/**
 * What a mined trade really did, from its receipt: the Arb event's profit (0 for a revert),
 * the executor's balance change, gas used × the effective price (Arbitrum's gas used includes
 * the L1 part), all set against the prediction made at the pinned block.
 */
export function realize(trade: TradeRecord, r: ReceiptFacts): { receipt: NonNullable<TradeRecord['receipt']>; realized: NonNullable<TradeRecord['realized']> } {
  // A sweep moves funds out; it gains nothing (its balance change is the amount swept).
  const profit = r.status !== 'success' || trade.kind === 'sweep' ? 0n : r.event?.profit ?? r.balanceDelta
  const costWei = r.gasUsed * r.effectiveGasPrice
  const rate = { num: BigInt(trade.rates.wei_to_quote.num), den: BigInt(trade.rates.wei_to_quote.den) }
  const cost = weiInQuote(costWei, rate)
  const net = profit - cost
  const usd = trade.rates.quote_to_usd_micro
  const predictedGas = BigInt(trade.predicted.gas_used) + BigInt(trade.predicted.l1_gas)
  return {
    receipt: {
      block: r.block, status: r.status, gas_used: r.gasUsed.toString(), effective_gas_price: r.effectiveGasPrice.toString(),
      l1_gas_used: r.l1GasUsed === null ? null : r.l1GasUsed.toString(),
    },
    realized: {
      profit: profit.toString(),
      quote_out: r.event ? r.event.quoteOut.toString() : null,
      quote_in: r.event ? r.event.quoteIn.toString() : null,
      balance_delta: r.balanceDelta.toString(),
      cost_wei: costWei.toString(),
      cost: cost.toString(),
      net: net.toString(),
      net_usd: usd ? Number((net * BigInt(usd.num)) / BigInt(usd.den)) / 1e6 : null,
      profit_diff: (profit - BigInt(trade.predicted.profit)).toString(),
      gas_diff: (r.gasUsed - predictedGas).toString(),
    },
  }
}

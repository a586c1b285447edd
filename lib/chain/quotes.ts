import { decodeFunctionResult, encodeFunctionData, zeroAddress, type Hex } from 'viem'
import type { Config } from '../config/resolve.ts'
import { localQuote, type LocalStates } from '../quote/localQuote.ts'
import { quoteId, type Quoter, type QuoteRequest, type QuoteResult, type Side } from '../scan/types.ts'
import { algebraQuoterAbi, quoterV2Abi, v2RouterAbi } from './abis.ts'
import { aggregate3, type Call } from './multicall.ts'
import type { RegisteredPool } from './registry.ts'
import type { RpcClient } from '../rpc/client.ts'

const SIDES: Side[] = ['sell', 'buy']

export type FetchQuotesOptions = {
  quoter: Quoter
  /** Pool states read at the same block (local mode). */
  states?: LocalStates
}

/**
 * Directional quotes for every registered pool, size and side, at the pinned block.
 * sell = exact input base→quote; buy = exact output quote→base. A size at or above the
 * pool's base balance is refused up front (POOL_NO_LIQUIDITY). In local mode quotes come
 * from exact local math where the state allows; the rest from the on-chain quoters, in
 * Multicall3 batches.
 */
export async function fetchQuotes(client: RpcClient, config: Config, pools: RegisteredPool[], blockNumber: bigint, options: FetchQuotesOptions = { quoter: 'onchain' }): Promise<QuoteResult[]> {
  const results: QuoteResult[] = []
  const pending: { request: QuoteRequest; call: Call }[] = []
  for (const pool of pools) {
    for (const side of SIDES) {
      for (const size of pool.pair.sizes) {
        const request: QuoteRequest = {
          id: quoteId(pool.pair.name, pool.venue.key, side, size),
          pair: pool.pair, venue: pool.venue, pool: pool.address, fee: pool.fee, side, size,
        }
        // Trading at least the pool's whole base balance (buying it out, or selling enough to
        // at least halve the price) is beyond what the pool can carry: no quote is taken.
        if (size >= pool.baseBalance) {
          results.push({ request, quoter: options.quoter, ok: false, code: 'POOL_NO_LIQUIDITY', reason: `pool holds ${pool.baseBalance} ${pool.pair.base.symbol} units, the trade moves ${size}` })
          continue
        }
        const local = options.quoter === 'local' && options.states ? localQuote(request, pool, options.states, config.gas) : null
        if (local) results.push(local)
        else pending.push({ request, call: quoteCall(request) })
      }
    }
  }
  const answers = pending.length === 0 ? [] : await aggregate3({
    client, multicall3: config.multicall3, calls: pending.map((p) => p.call), blockNumber,
    batchSize: config.rpc.batch_size, gasPerCall: config.rpc.gas_per_call,
  })
  pending.forEach(({ request }, i) => {
    const answer = answers[i]!
    if (!answer.ok) {
      results.push({ request, quoter: 'onchain', ok: false, code: answer.infra ? 'INFRA_RPC_ERROR' : 'QUOTE_REVERT', reason: answer.error })
      return
    }
    try {
      results.push({ request, quoter: 'onchain', ok: true, ...decodeQuote(request, answer.data) })
    } catch {
      results.push({ request, quoter: 'onchain', ok: false, code: 'QUOTE_REVERT', reason: `undecodable quote answer (${answer.data.slice(0, 10)})` })
    }
  })
  // Stable order: the configured order of pairs, venues, sides and sizes.
  const key = ({ request: r }: QuoteResult) => [config.pairs.indexOf(r.pair), config.venues.indexOf(r.venue), SIDES.indexOf(r.side), r.pair.sizes.indexOf(r.size)]
  return results.sort((a, b) => lexicographic(key(a), key(b)))
}

function lexicographic(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return 0
}

function quoteCall(request: QuoteRequest): Call {
  const { pair, venue, side, size } = request
  const [tokenIn, tokenOut] = side === 'sell' ? [pair.base.address, pair.quote.address] : [pair.quote.address, pair.base.address]
  let callData: Hex
  if (venue.type === 'uniswap_v3') {
    callData = side === 'sell'
      ? encodeFunctionData({ abi: quoterV2Abi, functionName: 'quoteExactInputSingle', args: [{ tokenIn, tokenOut, amountIn: size, fee: venue.fee!, sqrtPriceLimitX96: 0n }] })
      : encodeFunctionData({ abi: quoterV2Abi, functionName: 'quoteExactOutputSingle', args: [{ tokenIn, tokenOut, amount: size, fee: venue.fee!, sqrtPriceLimitX96: 0n }] })
  } else if (venue.type === 'algebra') {
    callData = side === 'sell'
      ? encodeFunctionData({ abi: algebraQuoterAbi, functionName: 'quoteExactInputSingle', args: [{ tokenIn, tokenOut, deployer: zeroAddress, amountIn: size, limitSqrtPrice: 0n }] })
      : encodeFunctionData({ abi: algebraQuoterAbi, functionName: 'quoteExactOutputSingle', args: [{ tokenIn, tokenOut, deployer: zeroAddress, amount: size, limitSqrtPrice: 0n }] })
  } else {
    callData = side === 'sell'
      ? encodeFunctionData({ abi: v2RouterAbi, functionName: 'getAmountsOut', args: [size, [tokenIn, tokenOut]] })
      : encodeFunctionData({ abi: v2RouterAbi, functionName: 'getAmountsIn', args: [size, [tokenIn, tokenOut]] })
  }
  return { target: venue.quoter, callData }
}

/** amountIn / amountOut from each quoter's own return shape. */
function decodeQuote(request: QuoteRequest, data: Hex): { amountIn: bigint; amountOut: bigint; gasEstimate: bigint | null; ticksCrossed: number | null } {
  const { venue, side, size } = request
  if (venue.type === 'uniswap_v3') {
    if (side === 'sell') {
      const [amountOut, , ticks, gas] = decodeFunctionResult({ abi: quoterV2Abi, functionName: 'quoteExactInputSingle', data })
      return { amountIn: size, amountOut, gasEstimate: gas, ticksCrossed: ticks }
    }
    const [amountIn, , ticks, gas] = decodeFunctionResult({ abi: quoterV2Abi, functionName: 'quoteExactOutputSingle', data })
    return { amountIn, amountOut: size, gasEstimate: gas, ticksCrossed: ticks }
  }
  if (venue.type === 'algebra') {
    const [amountOut, amountIn, , ticks, gas] = side === 'sell'
      ? decodeFunctionResult({ abi: algebraQuoterAbi, functionName: 'quoteExactInputSingle', data })
      : decodeFunctionResult({ abi: algebraQuoterAbi, functionName: 'quoteExactOutputSingle', data })
    return { amountIn, amountOut, gasEstimate: gas, ticksCrossed: ticks }
  }
  const fn = side === 'sell' ? 'getAmountsOut' : 'getAmountsIn'
  const amounts = decodeFunctionResult({ abi: v2RouterAbi, functionName: fn, data })
  return { amountIn: amounts[0]!, amountOut: amounts[amounts.length - 1]!, gasEstimate: null, ticksCrossed: null }
}

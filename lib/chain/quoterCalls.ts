import { decodeFunctionResult, encodeFunctionData, zeroAddress, type Hex } from 'viem'
import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from '../math/tickMath.ts'
import { partialFill } from '../quote/partialFill.ts'
import type { QuoteRequest, QuoteResult } from '../scan/types.ts'
import { algebraQuoterAbi, quoterV2Abi, v2RouterAbi } from './abis.ts'
import type { Call } from './multicall.ts'

/**
 * The price limit the quoters would pick for "no limit" (MIN+1 / MAX−1), passed explicitly:
 * with 0, QuoterV2 reverts a partial exact-output swap and silently returns a partial
 * exact-input one; with the explicit limit both return, and reaching it is the proof of a
 * partial fill.
 */
export function noLimit(zeroForOne: boolean): bigint {
  return zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n
}

function direction(request: QuoteRequest) {
  const { pair, side } = request
  const [tokenIn, tokenOut] = side === 'sell' ? [pair.base.address, pair.quote.address] : [pair.quote.address, pair.base.address]
  return { tokenIn, tokenOut, limit: noLimit(BigInt(tokenIn) < BigInt(tokenOut)) }
}

/** The venue quoter's call for one directional quote: sell = exact input of `size` base, buy = exact output of `size` base. */
export function quoteCall(request: QuoteRequest): Call {
  const { venue, side, size } = request
  const { tokenIn, tokenOut, limit } = direction(request)
  let callData: Hex
  if (venue.type === 'uniswap_v3') {
    callData = side === 'sell'
      ? encodeFunctionData({ abi: quoterV2Abi, functionName: 'quoteExactInputSingle', args: [{ tokenIn, tokenOut, amountIn: size, fee: venue.fee!, sqrtPriceLimitX96: limit }] })
      : encodeFunctionData({ abi: quoterV2Abi, functionName: 'quoteExactOutputSingle', args: [{ tokenIn, tokenOut, amount: size, fee: venue.fee!, sqrtPriceLimitX96: limit }] })
  } else if (venue.type === 'algebra') {
    callData = side === 'sell'
      ? encodeFunctionData({ abi: algebraQuoterAbi, functionName: 'quoteExactInputSingle', args: [{ tokenIn, tokenOut, deployer: zeroAddress, amountIn: size, limitSqrtPrice: limit }] })
      : encodeFunctionData({ abi: algebraQuoterAbi, functionName: 'quoteExactOutputSingle', args: [{ tokenIn, tokenOut, deployer: zeroAddress, amount: size, limitSqrtPrice: limit }] })
  } else {
    callData = side === 'sell'
      ? encodeFunctionData({ abi: v2RouterAbi, functionName: 'getAmountsOut', args: [size, [tokenIn, tokenOut]] })
      : encodeFunctionData({ abi: v2RouterAbi, functionName: 'getAmountsIn', args: [size, [tokenIn, tokenOut]] })
  }
  return { target: venue.quoter, callData }
}

/**
 * A quoter's answer as a quote, or POOL_NO_LIQUIDITY when the swap stopped at the price
 * limit (V3, Algebra: the pool ran out of liquidity before `size`). Throws on an answer
 * that does not decode.
 */
export function quoteFromAnswer(request: QuoteRequest, data: Hex): QuoteResult {
  const { venue, side, size } = request
  const ok = (amountIn: bigint, amountOut: bigint, gasEstimate: bigint | null, ticksCrossed: number | null): QuoteResult =>
    ({ request, quoter: 'onchain', ok: true, amountIn, amountOut, gasEstimate, ticksCrossed })
  const { limit } = direction(request)
  if (venue.type === 'uniswap_v3') {
    if (side === 'sell') {
      const [amountOut, priceAfter, ticks, gas] = decodeFunctionResult({ abi: quoterV2Abi, functionName: 'quoteExactInputSingle', data })
      return priceAfter === limit ? partialFill(request, 'onchain', { amountIn: null, amountOut }) : ok(size, amountOut, gas, ticks)
    }
    const [amountIn, priceAfter, ticks, gas] = decodeFunctionResult({ abi: quoterV2Abi, functionName: 'quoteExactOutputSingle', data })
    // At the limit the pool delivered less than `size`; QuoterV2 does not say how much.
    return priceAfter === limit ? partialFill(request, 'onchain', { amountIn, amountOut: null }) : ok(amountIn, size, gas, ticks)
  }
  if (venue.type === 'algebra') {
    const [amountOut, amountIn, priceAfter, ticks, gas] = side === 'sell'
      ? decodeFunctionResult({ abi: algebraQuoterAbi, functionName: 'quoteExactInputSingle', data })
      : decodeFunctionResult({ abi: algebraQuoterAbi, functionName: 'quoteExactOutputSingle', data })
    return priceAfter === limit ? partialFill(request, 'onchain', { amountIn, amountOut }) : ok(amountIn, amountOut, gas, ticks)
  }
  const amounts = decodeFunctionResult({ abi: v2RouterAbi, functionName: side === 'sell' ? 'getAmountsOut' : 'getAmountsIn', data })
  return ok(amounts[0]!, amounts[amounts.length - 1]!, null, null)
}

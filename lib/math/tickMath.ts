import { MAX_UINT256 } from './constants.ts'

export const MIN_TICK = -887_272
export const MAX_TICK = 887_272
export const MIN_SQRT_RATIO = 4_295_128_739n
export const MAX_SQRT_RATIO = 1_461_446_703_485_210_103_287_273_052_203_988_822_378_723_970_342n

/** 1 / sqrt(1.0001^(2^i)) in Q128.128, for bit i of |tick| (TickMath.sol). */
const FACTORS = [
  0xfffcb933bd6fad37aa2d162d1a594001n, 0xfff97272373d413259a46990580e213an, 0xfff2e50f5f656932ef12357cf3c7fdccn,
  0xffe5caca7e10e4e61c3624eaa0941cd0n, 0xffcb9843d60f6159c9db58835c926644n, 0xff973b41fa98c081472e6896dfb254c0n,
  0xff2ea16466c96a3843ec78b326b52861n, 0xfe5dee046a99a2a811c461f1969c3053n, 0xfcbe86c7900a88aedcffc83b479aa3a4n,
  0xf987a7253ac413176f2b074cf7815e54n, 0xf3392b0822b70005940c7a398e4b70f3n, 0xe7159475a2c29b7443b29c7fa6e889d9n,
  0xd097f3bdfd2022b8845ad8f792aa5825n, 0xa9f746462d870fdf8a65dc1f90e061e5n, 0x70d869a156d2a1b890bb3df62baf32f7n,
  0x31be135f97d08fd981231505542fcfa6n, 0x9aa508b5b7a84e1c677de54f3e99bc9n, 0x5d6af8dedb81196699c329225ee604n,
  0x2216e584f5fa1ea926041bedfe98n, 0x48a170391f7dc42444e8fa2n,
]

/** TickMath.getSqrtRatioAtTick: sqrt(1.0001^tick) in Q64.96, rounded up. */
export function getSqrtRatioAtTick(tick: number): bigint {
  const absTick = Math.abs(tick)
  if (!Number.isInteger(tick) || absTick > MAX_TICK) throw new Error('TICK')
  let ratio = absTick & 1 ? FACTORS[0]! : 1n << 128n
  for (let bit = 1; bit < FACTORS.length; bit++) {
    if (absTick & (1 << bit)) ratio = (ratio * FACTORS[bit]!) >> 128n
  }
  if (tick > 0) ratio = MAX_UINT256 / ratio
  return (ratio >> 32n) + (ratio & 0xffffffffn ? 1n : 0n)
}

const LOG_SQRT_1_0001 = Math.log(Math.sqrt(1.0001))

/**
 * TickMath.getTickAtSqrtRatio: the greatest tick whose sqrt ratio is <= sqrtPriceX96.
 * A float estimate, then corrected exactly against getSqrtRatioAtTick.
 */
export function getTickAtSqrtRatio(sqrtPriceX96: bigint): number {
  if (sqrtPriceX96 < MIN_SQRT_RATIO || sqrtPriceX96 >= MAX_SQRT_RATIO) throw new Error('R')
  // log(sqrtP / 2^96) from the top 53 bits, exact enough for an estimate within ±1.
  const bits = sqrtPriceX96.toString(2).length
  const shift = Math.max(0, bits - 53)
  const log = Math.log(Number(sqrtPriceX96 >> BigInt(shift))) + (shift - 96) * Math.LN2
  let tick = Math.max(MIN_TICK, Math.min(MAX_TICK, Math.floor(log / LOG_SQRT_1_0001)))
  while (tick > MIN_TICK && getSqrtRatioAtTick(tick) > sqrtPriceX96) tick--
  while (tick < MAX_TICK && getSqrtRatioAtTick(tick + 1) <= sqrtPriceX96) tick++
  return tick
}

import { MAX_UINT128 } from './constants.ts'

/** LiquidityMath.addDelta: x + y for a signed delta, reverting on under/overflow ('LS'/'LA'). */
export function addDelta(x: bigint, y: bigint): bigint {
  const z = x + y
  if (z < 0n) throw new Error('LS')
  if (z > MAX_UINT128) throw new Error('LA')
  return z
}

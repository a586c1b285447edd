/** JSON form of pool states and swap answers for the committed math vectors (bigints as strings). */
import { sortedTickSteps, type ClPoolState } from '../../lib/math/clSwap.ts'
import type { V3PoolState } from '../../lib/math/v3Swap.ts'
import type { SwapAnswer, SwapCase, V2Case } from './mathMarkets.ts'

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

export type V3StateJson = { sqrtPriceX96: string; tick: number; liquidity: string; fee: number; tickSpacing: number; words: [number, string][]; minWord: number; maxWord: number; liquidityNet: [number, string][] }
export type AlgebraStateJson = { sqrtPriceX96: string; tick: number; liquidity: string; fee: number; ticks: [number, string][] }
export type CaseJson = { pool: number; zeroForOne: boolean; exactIn: boolean; amount: string }
export type AnswerJson = { amountIn: string; amountOut: string; sqrtPriceX96After: string | null } | null

export type MathVectors = {
  note: string
  v3: { states: V3StateJson[]; cases: CaseJson[]; answers: AnswerJson[] }
  algebra: { states: AlgebraStateJson[]; cases: CaseJson[]; answers: AnswerJson[] }
  v2: { reserves: [string, string][]; cases: { pair: number; aToB: boolean; exactIn: boolean; amount: string }[]; answers: (string | null)[] }
}

export const toV3Json = (s: V3PoolState): V3StateJson => ({
  sqrtPriceX96: String(s.sqrtPriceX96), tick: s.tick, liquidity: String(s.liquidity), fee: s.fee, tickSpacing: s.tickSpacing,
  words: [...s.bitmap.words].map(([w, v]) => [w, String(v)]), minWord: s.bitmap.minWord, maxWord: s.bitmap.maxWord,
  liquidityNet: [...s.liquidityNet].map(([t, n]) => [t, String(n)]),
})
export const fromV3Json = (j: V3StateJson): V3PoolState => ({
  sqrtPriceX96: BigInt(j.sqrtPriceX96), tick: j.tick, liquidity: BigInt(j.liquidity), fee: j.fee, tickSpacing: j.tickSpacing,
  bitmap: { words: new Map(j.words.map(([w, v]) => [w, BigInt(v)])), minWord: j.minWord, maxWord: j.maxWord },
  liquidityNet: new Map(j.liquidityNet.map(([t, n]) => [t, BigInt(n)])),
})
export const toAlgebraJson = (s: ClPoolState): AlgebraStateJson => ({
  sqrtPriceX96: String(s.sqrtPriceX96), tick: s.tick, liquidity: String(s.liquidity), fee: s.fee,
  ticks: [...(s.steps as ReturnType<typeof sortedTickSteps>).ticks].map(([t, n]) => [t, String(n)]),
})
export const fromAlgebraJson = (j: AlgebraStateJson): ClPoolState => ({
  sqrtPriceX96: BigInt(j.sqrtPriceX96), tick: j.tick, liquidity: BigInt(j.liquidity), fee: j.fee,
  steps: sortedTickSteps(new Map(j.ticks.map(([t, n]) => [t, BigInt(n)]))),
})
export const toCaseJson = (c: SwapCase | V2Case): CaseJson & Record<string, Json> => JSON.parse(JSON.stringify(c, (_, v) => (typeof v === 'bigint' ? String(v) : v)))
export const fromCaseJson = (c: CaseJson): SwapCase => ({ ...c, amount: BigInt(c.amount) })
export const toAnswerJson = (a: SwapAnswer): AnswerJson => (a === null ? null : { amountIn: String(a.amountIn), amountOut: String(a.amountOut), sqrtPriceX96After: a.sqrtPriceX96After === null ? null : String(a.sqrtPriceX96After) })
export const fromAnswerJson = (a: AnswerJson): SwapAnswer => (a === null ? null : { amountIn: BigInt(a.amountIn), amountOut: BigInt(a.amountOut), sqrtPriceX96After: a.sqrtPriceX96After === null ? null : BigInt(a.sqrtPriceX96After) })

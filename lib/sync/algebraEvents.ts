import { parseAbi, toEventSelector, type Log } from 'viem'
import { sortedTickSteps } from '../math/clSwap.ts'
import type { AlgebraPoolState } from '../state/algebraState.ts'
import { decodePoolEvent, TOPICS, type PoolEvent } from './eventWords.ts'

/**
 * An Algebra Integral pool (no plugin) kept from its own events. Its Swap, Mint and Burn have
 * V3's layouts; their effects on what a quote reads follow the pool's code (Positions.sol,
 * TickManagement.sol): a position's bottom tick gains `liquidityDelta`, its top tick loses it,
 * both ticks' total liquidity moves by it (a tick is in the tick tree while its total is above
 * 0), and the active liquidity moves when bottomTick ≤ tick < topTick. Any other event (fee,
 * plugin, tick spacing, a plugin's fee on a swap or burn) is not modelled: the pool is re-read.
 */
const { Swap: SWAP_TOPIC, Mint: MINT_TOPIC, Burn: BURN_TOPIC } = TOPICS
const feeEvents = parseAbi([
  'event SwapFee(address indexed sender, uint24 overrideFee, uint24 pluginFee)',
  'event BurnFee(address indexed owner, uint24 pluginFee)',
  'event Collect(address indexed owner, address recipient, int24 indexed bottomTick, int24 indexed topTick, uint128 amount0, uint128 amount1)',
])
const [SWAP_FEE_TOPIC, BURN_FEE_TOPIC, COLLECT_TOPIC] = feeEvents.map((event) => toEventSelector(event))
/** The events whose effect the model applies. */
const MODELLED_TOPICS = new Set<string>([SWAP_TOPIC, MINT_TOPIC, BURN_TOPIC])
/** Event data of 0, 1 and 2 zero words. */
const ZERO_WORDS = ['0x', `0x${'0'.repeat(64)}`, `0x${'0'.repeat(128)}`] as const

/** True when every log is one the model applies exactly; then it has applied them, in order. Else it changed nothing. */
export function applyAlgebraLogs(state: AlgebraPoolState, logs: readonly Log[]): { applied: boolean; swaps: number } {
  // Each log decoded once: a swap or position event of another shape is not one the model knows.
  const events = logs.map((log) => ({ log, event: MODELLED_TOPICS.has(log.topics[0]!) ? decodePoolEvent(log) : null }))
  if (!events.every(modelled)) return { applied: false, swaps: 0 }
  let swaps = 0
  let positions = false
  for (const { event } of events) {
    if (event?.eventName === 'Swap') {
      const { args } = event
      // The price, tick and active liquidity after the swap.
      state.sqrtPriceX96 = args.sqrtPriceX96
      state.tick = args.tick
      state.liquidity = args.liquidity
      swaps++
    } else if ((event?.eventName === 'Mint' || event?.eventName === 'Burn') && event.args.amount > 0n) {
      const { args } = event
      const delta = event.eventName === 'Mint' ? args.amount : -args.amount
      moveTick(state, args.tickLower, delta)
      moveTick(state, args.tickUpper, -delta, delta)
      if (args.tickLower <= state.tick && state.tick < args.tickUpper) state.liquidity += delta
      positions = true
    }
  }
  if (positions) state.steps = sortedTickSteps(state.steps.ticks)
  return { applied: true, swaps }
}

/** A tick's net moves by `net`, its total by `total` (the position's liquidity change); at total 0 it leaves the tree. */
function moveTick(state: AlgebraPoolState, tick: number, net: bigint, total = net): void {
  const nets = state.steps.ticks
  const after = (state.liquidityTotal.get(tick) ?? 0n) + total
  if (after === 0n) {
    nets.delete(tick)
    state.liquidityTotal.delete(tick)
    return
  }
  nets.set(tick, (nets.get(tick) ?? 0n) + net)
  state.liquidityTotal.set(tick, after)
}

function modelled({ log, event }: { log: Log; event: PoolEvent | null }): boolean {
  const kind = log.topics[0]
  if (MODELLED_TOPICS.has(kind!)) return event !== null
  if (kind === COLLECT_TOPIC) return true
  // Integral's fee events beside a swap or a burn: all-zero words (overrideFee, pluginFee; pluginFee)
  // mean no plugin took or overrode a fee. Anything else, malformed included, re-reads the pool.
  if (kind === SWAP_FEE_TOPIC) return log.data === ZERO_WORDS[2]
  if (kind === BURN_FEE_TOPIC) return log.data === ZERO_WORDS[1]
  return false
}

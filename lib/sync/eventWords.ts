import { parseAbi, toEventSelector, type Hex } from 'viem'

/**
 * The events a block's sync applies, decoded straight from their 32-byte words: every block
 * brings hundreds at scale, and a general ABI decoder (checksumming each address, building each
 * argument by name) cost more than applying them. The layouts are fixed by the pools' and
 * tokens' ABIs below; a log whose topics or data do not have exactly that shape is not that
 * event (null), as `decodeEventLog(..., strict)` says — nor one whose words leave their types'
 * ranges (an int24 tick beyond ±2^23, an address word with its upper bytes set), which that
 * decoder lets through.
 */
export const POOL_EVENTS = parseAbi([
  'event Sync(uint112 reserve0, uint112 reserve1)',
  'event Initialize(uint160 sqrtPriceX96, int24 tick)',
  'event Mint(address sender, address indexed owner, int24 indexed tickLower, int24 indexed tickUpper, uint128 amount, uint256 amount0, uint256 amount1)',
  'event Burn(address indexed owner, int24 indexed tickLower, int24 indexed tickUpper, uint128 amount, uint256 amount0, uint256 amount1)',
  'event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
])
const selector = (name: string) => toEventSelector(POOL_EVENTS.find((e) => e.name === name)!)
export const TOPICS = {
  Sync: selector('Sync'), Initialize: selector('Initialize'), Mint: selector('Mint'), Burn: selector('Burn'), Swap: selector('Swap'), Transfer: selector('Transfer'),
} as const

export type PoolEvent =
  | { eventName: 'Sync'; args: { reserve0: bigint; reserve1: bigint } }
  | { eventName: 'Initialize'; args: { sqrtPriceX96: bigint; tick: number } }
  | { eventName: 'Mint' | 'Burn'; args: { tickLower: number; tickUpper: number; amount: bigint } }
  | { eventName: 'Swap'; args: { sqrtPriceX96: bigint; liquidity: bigint; tick: number } }
  | { eventName: 'Transfer'; args: { from: string; to: string; value: bigint } }

type Log = { topics: readonly (Hex | null)[] | readonly Hex[]; data: Hex }

const TWO_255 = 1n << 255n
const TWO_256 = 1n << 256n
const MAX = (bits: number) => (1n << BigInt(bits)) - 1n

/** The `i`-th 32-byte word of hex data, unsigned. */
function word(data: string, i: number): bigint {
  return BigInt(`0x${data.slice(2 + 64 * i, 66 + 64 * i)}`)
}

/** An intN word (sign-extended to 256 bits), or null outside intN's range. */
function signed(w: bigint, bits: number): number | null {
  const value = w >= TWO_255 ? w - TWO_256 : w
  const bound = 1n << BigInt(bits - 1)
  return value >= -bound && value < bound ? Number(value) : null
}

function unsigned(w: bigint, bits: number): bigint | null {
  return w <= MAX(bits) ? w : null
}

/** A 32-byte topic or word holding an address (its upper 12 bytes zero), lowercase; else null. */
function address(hex: string): string | null {
  return /^0x0{24}[0-9a-fA-F]{40}$/.test(hex) ? `0x${hex.slice(26).toLowerCase()}` : null
}

/** The log as one of the events above, or null (another event, or not exactly that layout). */
export function decodePoolEvent(log: Log): PoolEvent | null {
  const { topics, data } = log
  const words = (data.length - 2) / 64
  const shape = (topicCount: number, wordCount: number) => topics.length === topicCount && words === wordCount && /^0x[0-9a-fA-F]*$/.test(data)
  switch (topics[0]) {
    case TOPICS.Sync: {
      if (!shape(1, 2)) return null
      const [reserve0, reserve1] = [unsigned(word(data, 0), 112), unsigned(word(data, 1), 112)]
      return reserve0 === null || reserve1 === null ? null : { eventName: 'Sync', args: { reserve0, reserve1 } }
    }
    case TOPICS.Initialize: {
      if (!shape(1, 2)) return null
      const [sqrtPriceX96, tick] = [unsigned(word(data, 0), 160), signed(word(data, 1), 24)]
      return sqrtPriceX96 === null || tick === null ? null : { eventName: 'Initialize', args: { sqrtPriceX96, tick } }
    }
    case TOPICS.Mint:
    case TOPICS.Burn: {
      const mint = topics[0] === TOPICS.Mint
      if (!shape(4, mint ? 4 : 3)) return null
      const [tickLower, tickUpper] = [signed(BigInt(topics[2]!), 24), signed(BigInt(topics[3]!), 24)]
      const amount = unsigned(word(data, mint ? 1 : 0), 128)
      if (tickLower === null || tickUpper === null || amount === null || address(topics[1]!) === null || (mint && address(`0x${data.slice(2, 66)}`) === null)) return null
      return { eventName: mint ? 'Mint' : 'Burn', args: { tickLower, tickUpper, amount } }
    }
    case TOPICS.Swap: {
      if (!shape(3, 5) || address(topics[1]!) === null || address(topics[2]!) === null) return null
      const [sqrtPriceX96, liquidity, tick] = [unsigned(word(data, 2), 160), unsigned(word(data, 3), 128), signed(word(data, 4), 24)]
      return sqrtPriceX96 === null || liquidity === null || tick === null ? null : { eventName: 'Swap', args: { sqrtPriceX96, liquidity, tick } }
    }
    case TOPICS.Transfer: {
      if (!shape(3, 1)) return null
      const [from, to] = [address(topics[1]!), address(topics[2]!)]
      return from === null || to === null ? null : { eventName: 'Transfer', args: { from, to, value: word(data, 0) } }
    }
    default:
      return null
  }
}

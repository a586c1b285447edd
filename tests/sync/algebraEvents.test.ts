import { describe, expect, test } from 'bun:test'
import { encodeAbiParameters, encodeEventTopics, parseAbi, type Hex, type Log } from 'viem'
import { applyAlgebraLogs } from '../../lib/sync/algebraEvents.ts'
import { sortedTickSteps } from '../../lib/math/clSwap.ts'
import type { AlgebraPoolState } from '../../lib/state/algebraState.ts'

const abi = parseAbi([
  'event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 price, uint128 liquidity, int24 tick)',
  'event SwapFee(address indexed sender, uint24 overrideFee, uint24 pluginFee)',
  'event BurnFee(address indexed owner, uint24 pluginFee)',
])
const sender = '0x00000000000000000000000000000000000000aa'

function log(eventName: 'Swap' | 'SwapFee' | 'BurnFee', args: Record<string, unknown>, data?: Hex): Log {
  const event = abi.find((e) => e.name === eventName)!
  const topics = encodeEventTopics({ abi: [event], eventName: eventName as never, args: args as never }) as Hex[]
  const unindexed = event.inputs.filter((input) => !('indexed' in input && input.indexed))
  return { topics, data: data ?? encodeAbiParameters(unindexed, unindexed.map((input) => args[input.name!])), address: sender } as unknown as Log
}

function state(): AlgebraPoolState {
  return { sqrtPriceX96: 79228162514264337593543950336n, tick: 0, liquidity: 10n ** 18n, fee: 500, tickSpacing: 60, steps: sortedTickSteps(new Map()), liquidityTotal: new Map() } as unknown as AlgebraPoolState
}

const swap = log('Swap', { sender, recipient: sender, amount0: 5n, amount1: -4n, price: 79228162514264337593543950000n, liquidity: 10n ** 18n, tick: -1 })

describe('Algebra events kept or re-read', () => {
  test('behavior: a swap whose fee events say no plugin fee (zero words) is applied; a plugin fee, an override or a malformed fee event changes nothing and asks for a re-read', () => {
    const plain = state()
    expect(applyAlgebraLogs(plain, [log('SwapFee', { sender, overrideFee: 0, pluginFee: 0 }), swap])).toEqual({ applied: true, swaps: 1 })
    expect(plain.tick).toBe(-1)
    expect(plain.sqrtPriceX96).toBe(79228162514264337593543950000n)
    for (const fee of [
      log('SwapFee', { sender, overrideFee: 0, pluginFee: 30 }),
      log('SwapFee', { sender, overrideFee: 100, pluginFee: 0 }),
      log('BurnFee', { owner: sender, pluginFee: 1 }),
      log('SwapFee', { sender, overrideFee: 0, pluginFee: 0 }, `0x${'0'.repeat(64)}`),
      log('BurnFee', { owner: sender, pluginFee: 0 }, '0x'),
    ]) {
      const kept = state()
      expect(applyAlgebraLogs(kept, [fee, swap])).toEqual({ applied: false, swaps: 0 })
      expect(kept.tick).toBe(0)
    }
    expect(applyAlgebraLogs(state(), [log('BurnFee', { owner: sender, pluginFee: 0 })])).toEqual({ applied: true, swaps: 0 })
  })
})

import { describe, expect, test } from 'bun:test'
import { decodeEventLog, encodeAbiParameters, encodeEventTopics, type Hex } from 'viem'
import { decodePoolEvent, POOL_EVENTS } from '../../lib/sync/eventWords.ts'
import { mulberry32 } from '../helpers/random.ts'

const random = mulberry32(21)
/** A uniformly random integer of `bits` bits (signed: either sign, down to the type's minimum). */
function randomInt(bits: number, signed: boolean): bigint {
  let value = 0n
  for (let i = 0; i < bits; i += 16) value = (value << 16n) | BigInt(Math.floor(random() * 65_536))
  value &= (1n << BigInt(bits)) - 1n
  return signed ? value - (1n << BigInt(bits - 1)) : value
}
const randomAddress = () => `0x${randomInt(160, false).toString(16).padStart(40, '0')}` as Hex

/** The event with random arguments, encoded as a node would log it. */
function randomLog(name: (typeof POOL_EVENTS)[number]['name']): { topics: Hex[]; data: Hex } {
  const event = POOL_EVENTS.find((e) => e.name === name)!
  const values = Object.fromEntries(event.inputs.map((input) => {
    const bits = Number(input.type.replace(/\D/g, '') || 256)
    const value = input.type === 'address' ? randomAddress() : randomInt(bits, input.type.startsWith('int'))
    return [input.name, input.type === 'int24' ? Number(value) : value]
  }))
  const topics = encodeEventTopics({ abi: [event], eventName: name as never, args: values as never }) as Hex[]
  const unindexed = event.inputs.filter((input) => !('indexed' in input && input.indexed))
  const data = encodeAbiParameters(unindexed, unindexed.map((input) => values[input.name!]))
  return { topics, data }
}

describe('pool events from their words', () => {
  test('behavior: every event the sync applies decodes to what viem\'s strict decoder says, over random arguments at their types\' extremes', () => {
    for (const event of POOL_EVENTS) {
      for (let i = 0; i < 200; i++) {
        const log = randomLog(event.name)
        const ours = decodePoolEvent(log)!
        const theirs = decodeEventLog({ abi: POOL_EVENTS, ...log, topics: log.topics as [Hex, ...Hex[]], strict: true })
        expect(ours.eventName).toBe(theirs.eventName)
        for (const [key, value] of Object.entries(ours.args)) {
          const expected = (theirs.args as Record<string, unknown>)[key]
          expect(value).toEqual(typeof expected === 'string' ? expected.toLowerCase() : expected)
        }
      }
    }
  })

  test('error: a log of another shape is not the event (null), as the strict decoder refuses it; nor is one whose words leave their types (which that decoder lets through)', () => {
    const swap = randomLog('Swap')
    const shapes = [
      { ...swap, data: swap.data.slice(0, -64) as Hex }, // a word short
      { ...swap, topics: swap.topics.slice(0, 2) }, // an indexed argument missing
      { topics: [...randomLog('Transfer').topics, `0x${'0'.repeat(63)}1` as Hex], data: '0x' as Hex }, // an NFT's Transfer (id indexed, no data)
      // Trailing bytes, a tick word beyond int24, a reserve beyond uint112, an address topic with its upper bytes set.
      { ...swap, data: `${swap.data}00` as Hex },
      { ...swap, data: `${swap.data.slice(0, -64)}${'0'.repeat(56)}01000000` as Hex },
      { ...randomLog('Sync'), data: `0x${'f'.repeat(64)}${'0'.repeat(64)}` as Hex },
      { ...swap, topics: [swap.topics[0]!, `0x${'f'.repeat(64)}` as Hex, swap.topics[2]!] },
      { topics: [`0x${'0'.repeat(64)}` as Hex], data: '0x' as Hex },
    ]
    shapes.forEach((log, i) => {
      expect(decodePoolEvent(log)).toBeNull()
      if (i < 3) expect(() => decodeEventLog({ abi: POOL_EVENTS, ...log, topics: log.topics as [Hex, ...Hex[]], strict: true })).toThrow()
    })
  })
})

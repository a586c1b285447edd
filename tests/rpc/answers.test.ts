import { describe, expect, test } from 'bun:test'
import { checkAnswer, MalformedAnswerError } from '../../lib/rpc/answers.ts'

describe('RPC answers checked at the boundary', () => {
  test.each([
    ['eth_call', '0x', true],
    ['eth_call', '0xdeadBEEF', true],
    ['eth_call', '0xabc', false],
    ['eth_call', '0xzz', false],
    ['eth_call', 'deadbeef', false],
    ['eth_call', 7, false],
    ['eth_blockNumber', '0x1f', true],
    ['eth_blockNumber', -5, false],
    ['eth_blockNumber', '0x', false],
  ] as const)('behavior: %s answering %p is %s', (method, answer, valid) => {
    const check = () => checkAnswer(method, answer)
    if (valid) expect(check).not.toThrow()
    else expect(check).toThrow(MalformedAnswerError)
  })

  test('behavior: a multi-megabyte eth_call answer (a Multicall3 batch) is checked whole, an odd digit at its end refused', () => {
    const big = `0x${'ab'.repeat(2_000_000)}`
    expect(() => checkAnswer('eth_call', big)).not.toThrow()
    expect(() => checkAnswer('eth_call', `${big}a`)).toThrow(/not a valid eth_call result/)
    expect(() => checkAnswer('eth_call', `${big.slice(0, -1)}g`)).toThrow(MalformedAnswerError)
  })
})

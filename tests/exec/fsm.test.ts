import { describe, expect, test } from 'bun:test'
import { TRADE_EVENTS, TRADE_STATES } from '../../lib/contract/execution.ts'
import { IllegalTransition, isTerminal, TERMINAL_STATES, transition } from '../../lib/exec/fsm.ts'

/** The whole table, written out: any change to the machine must change this test. */
const LEGAL: Record<string, string> = {
  'DETECTED pass': 'SIMULATED', 'DETECTED reject': 'REJECTED',
  'SIMULATED sign': 'SIGNED', 'SIMULATED reject': 'REJECTED',
  'SIGNED send': 'SUBMITTED', 'SIGNED refused': 'ABANDONED', 'SIGNED dry_run': 'ABANDONED', 'SIGNED mined': 'INCLUDED',
  'SIGNED reverted': 'REVERTED', 'SIGNED dropped': 'DROPPED', 'SIGNED conflict': 'CONFLICT',
  'SUBMITTED rebroadcast': 'SUBMITTED', 'SUBMITTED mined': 'INCLUDED', 'SUBMITTED reverted': 'REVERTED',
  'SUBMITTED dropped': 'DROPPED', 'SUBMITTED conflict': 'CONFLICT',
  'INCLUDED settle': 'SETTLED', 'REVERTED settle': 'SETTLED',
}

describe('the trade state machine', () => {
  test('behavior: exactly the legal transitions succeed; every other (state, event) throws IllegalTransition', () => {
    let legal = 0
    for (const state of TRADE_STATES) {
      for (const event of TRADE_EVENTS) {
        const expected = LEGAL[`${state} ${event}`]
        if (expected) {
          expect(transition(state, event)).toBe(expected as never)
          legal++
        } else {
          expect(() => transition(state, event)).toThrow(IllegalTransition)
        }
      }
    }
    expect(legal).toBe(Object.keys(LEGAL).length)
  })

  test('behavior: terminals accept nothing; signing is reachable only through a passed simulation', () => {
    expect([...TERMINAL_STATES].sort()).toEqual(['ABANDONED', 'CONFLICT', 'DROPPED', 'REJECTED', 'SETTLED'])
    for (const state of TERMINAL_STATES) {
      expect(isTerminal(state)).toBe(true)
      for (const event of TRADE_EVENTS) expect(() => transition(state, event)).toThrow(`illegal trade transition: ${event} in state ${state}`)
    }
    const into = (target: string) => Object.entries(LEGAL).filter(([, to]) => to === target).map(([key]) => key)
    expect(into('SIGNED')).toEqual(['SIMULATED sign'])
    expect(into('SIMULATED')).toEqual(['DETECTED pass'])
  })
})

/**
 * The trade state machine: a pure transition function. Every trade starts DETECTED and ends in
 * one of the terminals; an event that is not legal in a state throws (a defect, never ignored).
 *
 *   DETECTED ─pass→ SIMULATED ─sign→ SIGNED ─send→ SUBMITTED ─receipt→ INCLUDED | REVERTED ─settle→ SETTLED
 *   DETECTED/SIMULATED ─reject→ REJECTED      SIGNED ─refused | dry_run→ ABANDONED
 *   SIGNED/SUBMITTED ─dropped→ DROPPED        SIGNED/SUBMITTED ─conflict→ CONFLICT
 *
 * SIGNED may see its receipt directly: after a crash between the write and the send's answer,
 * the bytes may or may not have left, and the chain decides.
 */
import type { TradeEvent, TradeState } from '../contract/execution.ts'

export type { TradeEvent, TradeState }

export const TERMINAL_STATES: readonly TradeState[] = ['SETTLED', 'REJECTED', 'ABANDONED', 'DROPPED', 'CONFLICT']

const TABLE: Record<TradeState, Partial<Record<TradeEvent, TradeState>>> = {
  DETECTED: { pass: 'SIMULATED', reject: 'REJECTED' },
  SIMULATED: { sign: 'SIGNED', reject: 'REJECTED' },
  SIGNED: { send: 'SUBMITTED', refused: 'ABANDONED', dry_run: 'ABANDONED', mined: 'INCLUDED', reverted: 'REVERTED', dropped: 'DROPPED', conflict: 'CONFLICT' },
  SUBMITTED: { rebroadcast: 'SUBMITTED', mined: 'INCLUDED', reverted: 'REVERTED', dropped: 'DROPPED', conflict: 'CONFLICT' },
  INCLUDED: { settle: 'SETTLED' },
  REVERTED: { settle: 'SETTLED' },
  SETTLED: {},
  REJECTED: {},
  ABANDONED: {},
  DROPPED: {},
  CONFLICT: {},
}

export class IllegalTransition extends Error {
  override name = 'IllegalTransition'
  constructor(readonly from: TradeState, readonly event: TradeEvent) {
    super(`illegal trade transition: ${event} in state ${from}`)
  }
}

export function transition(from: TradeState, event: TradeEvent): TradeState {
  const to = TABLE[from][event]
  if (!to) throw new IllegalTransition(from, event)
  return to
}

export function isTerminal(state: TradeState): boolean {
  return TERMINAL_STATES.includes(state)
}

import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import * as v from 'valibot'
import { GATE_BUCKETS, REJECT_BUCKETS, REJECT_CODES, REJECT_MEANINGS, RejectCodeSchema } from '../../lib/contract/rejectCodes.ts'

describe('reject codes', () => {
  test('default: the closed list and the bucket of every code', () => {
    expect(REJECT_BUCKETS).toEqual({
      QUOTE_REVERT: 'revert',
      QUOTE_ZERO_OUTPUT: 'revert',
      SLIPPAGE_TOO_HIGH: 'slippage',
      INFRA_RPC_ERROR: 'infra',
      INFRA_BLOCK_PIN_FAILED: 'infra',
      PRICE_SANITY_FAILED: 'other',
      PRICE_ANCHOR_MISSING: 'other',
      POOL_NOT_FOUND: 'other',
      POOL_NO_LIQUIDITY: 'other',
      PREFLIGHT_VALIDATION_FAILED: 'other',
      PNL_NEGATIVE: 'other',
      PNL_BELOW_THRESHOLD: 'other',
      SIM_REVERT: 'revert',
      SIM_MISMATCH: 'other',
      SIM_NET_BELOW_THRESHOLD: 'other',
      EXEC_STALE: 'other',
      EXEC_HALTED: 'other',
      EXEC_PAUSED: 'other',
      EXEC_SEND_REFUSED: 'infra',
      EXEC_REVERTED: 'revert',
      EXEC_DROPPED: 'infra',
      EXEC_NONCE_CONFLICT: 'other',
    })
    expect(REJECT_CODES).toEqual(Object.keys(REJECT_BUCKETS) as never)
    expect(GATE_BUCKETS).toEqual(['revert', 'slippage', 'infra', 'other'])
  })

  test('error: the schema refuses any other code', () => {
    for (const code of REJECT_CODES) expect(v.safeParse(RejectCodeSchema, code).success).toBe(true)
    expect(v.safeParse(RejectCodeSchema, 'UNKNOWN').success).toBe(false)
    expect(v.safeParse(RejectCodeSchema, 'quote_revert').success).toBe(false)
    expect(v.safeParse(RejectCodeSchema, 'UNKNOWN').issues?.[0]?.message).toBe('must be a reject code from the closed list')
  })

  test('behavior: the README documents every code with its bucket and its meaning, word for word', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    for (const code of REJECT_CODES) {
      expect(REJECT_MEANINGS[code].length).toBeGreaterThan(20)
      expect(readme).toContain(`| \`${code}\` | ${REJECT_BUCKETS[code]} | ${REJECT_MEANINGS[code]} |`)
    }
    expect(Object.keys(REJECT_MEANINGS)).toEqual(REJECT_CODES)
  })
})

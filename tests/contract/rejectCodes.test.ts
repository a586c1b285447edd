import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import * as v from 'valibot'
import { REJECT_BUCKETS, REJECT_CODES, RejectCodeSchema } from '../../lib/contract/rejectCodes.ts'

describe('reject codes', () => {
  test('default: the M4 gate codes are all in the closed list, each with a bucket', () => {
    for (const code of ['QUOTE_REVERT', 'SLIPPAGE_TOO_HIGH', 'INFRA_RPC_ERROR', 'INFRA_BLOCK_PIN_FAILED', 'PRICE_SANITY_FAILED', 'POOL_NO_LIQUIDITY', 'PREFLIGHT_VALIDATION_FAILED']) {
      expect(REJECT_CODES).toContain(code as (typeof REJECT_CODES)[number])
    }
    expect(REJECT_BUCKETS.QUOTE_REVERT).toBe('revert')
    expect(REJECT_BUCKETS.SLIPPAGE_TOO_HIGH).toBe('slippage')
    expect(REJECT_BUCKETS.INFRA_BLOCK_PIN_FAILED).toBe('infra')
  })

  test('error: the schema refuses any other code', () => {
    expect(v.safeParse(RejectCodeSchema, 'UNKNOWN').success).toBe(false)
    expect(v.safeParse(RejectCodeSchema, 'quote_revert').success).toBe(false)
  })

  test('behavior: the README documents every code with its bucket', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    for (const code of REJECT_CODES) expect(readme).toContain(`| \`${code}\` | ${REJECT_BUCKETS[code]} |`)
  })
})

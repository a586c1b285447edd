import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../lib/config/load.ts'
import type { TradeRecord } from '../../lib/contract/execution.ts'
import { dailyNetUsdMicro, killVerdict, type KillFacts } from '../../lib/exec/killswitch.ts'
import { draft } from '../helpers/trades.ts'

const rules = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname).execution.kill
const NOW = Date.parse('2026-11-26T12:00:00Z')

/** A settled trade: mined ok or reverted, with a realized net in USDC units (= micro-USD at rate 1:1). */
function settled(status: 'success' | 'reverted', net: bigint, at = NOW - 60_000): TradeRecord {
  return {
    ...draft(`t${Math.random()}`),
    state: 'SETTLED', created_at: new Date(at).toISOString(), updated_at: new Date(at).toISOString(), transitions: [],
    receipt: { block: 1, status, gas_used: '200000', effective_gas_price: '10000000', l1_gas_used: null },
    realized: { profit: '0', quote_out: null, quote_in: null, balance_delta: '0', cost_wei: '0', cost: '0', net: net.toString(), net_usd: null, profit_diff: '0', gas_diff: '0' },
  }
}

const calm: KillFacts = {
  nowMs: NOW, halted: null, killFile: false, stopping: null, trades: [], quarantinedRoutes: 0,
  signerBalance: 10n ** 18n, signerBaseline: 10n ** 18n, executorBalances: [{ token: 'USDC', balance: 5n, baseline: 5n }],
  chainNonce: 9, ledgerNonce: 9, baseFeeWei: 10_000_000n, headAgeS: 1,
}

describe('kill-switch rules (pure)', () => {
  test('default: a calm state passes; the defaults are the documented ones', () => {
    expect(killVerdict(calm, rules)).toEqual({ action: 'ok' })
    expect(rules).toEqual({
      max_daily_loss_usd: '50', max_consecutive_reverts: 3, max_revert_rate_pct: 20, revert_window: 20, revert_rate_min_sample: 10,
      quarantine_minutes: 60, max_quarantined_routes: 3, min_signer_balance_wei: '5000000000000000', max_base_fee_wei: '200000000', max_head_age_s: 60,
    })
  })

  test.each([
    ['an existing halt', { halted: 'earlier' }, 'earlier'],
    ['a KILL file', { killFile: true }, 'a KILL file is present'],
    ['a stop signal', { stopping: 'SIGTERM' }, 'stopping on SIGTERM: nothing new is signed'],
    ['a nonce used outside the ledger', { chainNonce: 10 }, 'nonce 9 was used by a transaction not in the ledger (chain nonce 10)'],
    ['a ledger ahead of the chain', { chainNonce: 8 }, "the ledger's next nonce 9 is ahead of the chain's 8"],
    ['the signer balance moving outside a trade', { signerBalance: 10n ** 18n - 1n }, "the signer's ETH balance moved outside a trade: 1000000000000000000 → 999999999999999999 wei"],
    ['the executor balance moving outside a trade', { executorBalances: [{ token: 'USDC', balance: 4n, baseline: 5n }] }, "the executor's USDC balance moved outside a trade: 5 → 4"],
    ['a signer too poor for gas', { signerBalance: 4_999_999_999_999_999n, signerBaseline: 4_999_999_999_999_999n }, "below kill.min_signer_balance_wei"],
    ['too many quarantined routes', { quarantinedRoutes: 3 }, '3 routes quarantined'],
  ] as const)('error: %s halts', (_, facts, reason) => {
    const verdict = killVerdict({ ...calm, ...facts } as KillFacts, rules)
    expect(verdict.action).toBe('halt')
    expect((verdict as { reason: string }).reason).toContain(reason)
  })

  test('error: reverts in a row halt at exactly max_consecutive_reverts; a success in between resets the streak', () => {
    const two = [settled('reverted', -1n), settled('reverted', -1n)]
    expect(killVerdict({ ...calm, trades: two }, rules)).toEqual({ action: 'ok' })
    expect(killVerdict({ ...calm, trades: [...two, settled('reverted', -1n)] }, rules)).toEqual({ action: 'halt', reason: '3 on-chain reverts in a row (kill.max_consecutive_reverts 3)' })
    expect(killVerdict({ ...calm, trades: [...two, settled('success', 5n), settled('reverted', -1n)] }, rules)).toEqual({ action: 'ok' })
  })

  test('error: the revert rate over the window halts above the limit, only once the sample is large enough', () => {
    const mix = (reverts: number, total: number) => Array.from({ length: total }, (_, i) => settled(i % Math.ceil(total / reverts) === 0 && i / Math.ceil(total / reverts) < reverts ? 'reverted' : 'success', 0n))
    // 2 of 10 = 20%: at the limit, not above it.
    expect(mix(2, 10).filter((t) => t.receipt!.status === 'reverted')).toHaveLength(2)
    expect(killVerdict({ ...calm, trades: mix(2, 10) }, rules)).toEqual({ action: 'ok' })
    expect(killVerdict({ ...calm, trades: mix(3, 10) }, rules)).toEqual({ action: 'halt', reason: '3 of the last 10 sent trades reverted (over kill.max_revert_rate_pct 20%)' })
    // 2 of 9 is 22%, but 9 sends are below the minimum sample.
    expect(killVerdict({ ...calm, trades: mix(2, 9) }, rules)).toEqual({ action: 'ok' })
  })

  test('error: realized loss over 24 h halts beyond the limit (exact micro-USD); older trades do not count', () => {
    const loss = (usd: bigint, at?: number) => settled('success', -usd * 1_000_000n, at)
    expect(killVerdict({ ...calm, trades: [loss(30n), loss(20n)] }, rules)).toEqual({ action: 'ok' })
    expect(killVerdict({ ...calm, trades: [loss(30n), settled('success', -20_000_001n)] }, rules)).toEqual({ action: 'halt', reason: 'realized loss over 24 h is $50.000001, beyond kill.max_daily_loss_usd $50' })
    expect(killVerdict({ ...calm, trades: [loss(30n), loss(30n, NOW - 86_400_001)] }, rules)).toEqual({ action: 'ok' })
    expect(dailyNetUsdMicro([loss(30n), settled('success', 12_345_678n)], NOW)).toBe(-30_000_000n + 12_345_678n)
  })

  test('behavior: a base fee above the cap or an old pinned block pauses (not a halt); 0 disables the age rule', () => {
    expect(killVerdict({ ...calm, baseFeeWei: 200_000_000n }, rules)).toEqual({ action: 'ok' })
    expect(killVerdict({ ...calm, baseFeeWei: 200_000_001n }, rules)).toEqual({ action: 'pause', reason: 'base fee 200000001 wei is above kill.max_base_fee_wei 200000000' })
    expect(killVerdict({ ...calm, headAgeS: 61 }, rules)).toEqual({ action: 'pause', reason: 'the pinned block is 61 s old (kill.max_head_age_s 60)' })
    expect(killVerdict({ ...calm, headAgeS: 10_000 }, { ...rules, max_head_age_s: 0 })).toEqual({ action: 'ok' })
  })
})

import type { TradeRecord } from '../contract/execution.ts'
import { usdMicroOf } from '../config/resolve.ts'
import type { ExecutionConfig } from '../config/schema.ts'

/**
 * The kill switch's rules, a pure function of what the ledger and the chain say right now.
 * HALT is persisted and needs `exec resume`; PAUSE holds only while its condition does.
 * Checked before every signature and after every receipt, so a trigger seen at block B stops
 * every signature from B on.
 */
export type KillVerdict = { action: 'ok' } | { action: 'halt'; reason: string } | { action: 'pause'; reason: string }

export type KillFacts = {
  nowMs: number
  /** Already halted (the ledger's reason), or a KILL file present, or a stop signal received. */
  halted: string | null
  killFile: boolean
  stopping: string | null
  /** This signer's trades, oldest first (only sent ones and their outcomes matter). */
  trades: readonly TradeRecord[]
  quarantinedRoutes: number
  signerBalance: bigint | null
  signerBaseline: bigint | null
  executorBalances: readonly { token: string; balance: bigint; baseline: bigint | null }[]
  /** The chain's nonce for the signer (latest = pending on Arbitrum) and the ledger's next one. */
  chainNonce: number | null
  ledgerNonce: number | null
  baseFeeWei: bigint | null
  /** Seconds between the pinned block's timestamp and now. */
  headAgeS: number | null
}

const DAY_MS = 86_400_000

export function killVerdict(f: KillFacts, rules: ExecutionConfig['kill']): KillVerdict {
  if (f.halted) return { action: 'halt', reason: f.halted }
  if (f.killFile) return { action: 'halt', reason: 'a KILL file is present' }
  if (f.stopping) return { action: 'halt', reason: `stopping on ${f.stopping}: nothing new is signed` }

  if (f.chainNonce !== null && f.ledgerNonce !== null) {
    if (f.chainNonce > f.ledgerNonce) return { action: 'halt', reason: `nonce ${f.ledgerNonce} was used by a transaction not in the ledger (chain nonce ${f.chainNonce}): the key is used elsewhere` }
    if (f.chainNonce < f.ledgerNonce) return { action: 'halt', reason: `the ledger's next nonce ${f.ledgerNonce} is ahead of the chain's ${f.chainNonce}: this ledger belongs to another chain state` }
  }
  if (f.signerBalance !== null && f.signerBaseline !== null && f.signerBalance !== f.signerBaseline) {
    return { action: 'halt', reason: `the signer's ETH balance moved outside a trade: ${f.signerBaseline} → ${f.signerBalance} wei` }
  }
  for (const b of f.executorBalances) {
    if (b.baseline !== null && b.balance !== b.baseline) return { action: 'halt', reason: `the executor's ${b.token} balance moved outside a trade: ${b.baseline} → ${b.balance}` }
  }
  if (f.signerBalance !== null && f.signerBalance < BigInt(rules.min_signer_balance_wei)) {
    return { action: 'halt', reason: `the signer's ETH balance ${f.signerBalance} wei is below kill.min_signer_balance_wei ${rules.min_signer_balance_wei}` }
  }

  const sent = f.trades.filter((t) => t.receipt !== null)
  const reverted = (t: TradeRecord) => t.receipt?.status === 'reverted'
  let streak = 0
  for (let i = sent.length - 1; i >= 0 && reverted(sent[i]!); i--) streak++
  if (streak >= rules.max_consecutive_reverts) return { action: 'halt', reason: `${streak} on-chain reverts in a row (kill.max_consecutive_reverts ${rules.max_consecutive_reverts})` }
  const window = sent.slice(-rules.revert_window)
  if (window.length >= rules.revert_rate_min_sample) {
    const reverts = window.filter(reverted).length
    if (reverts * 100 > rules.max_revert_rate_pct * window.length) return { action: 'halt', reason: `${reverts} of the last ${window.length} sent trades reverted (over kill.max_revert_rate_pct ${rules.max_revert_rate_pct}%)` }
  }

  const lossMicro = -dailyNetUsdMicro(f.trades, f.nowMs)
  if (lossMicro > usdMicroOf(rules.max_daily_loss_usd)) return { action: 'halt', reason: `realized loss over 24 h is $${formatMicro(lossMicro)}, beyond kill.max_daily_loss_usd $${rules.max_daily_loss_usd}` }
  if (f.quarantinedRoutes >= rules.max_quarantined_routes) return { action: 'halt', reason: `${f.quarantinedRoutes} routes quarantined after simulation mismatches (kill.max_quarantined_routes ${rules.max_quarantined_routes})` }

  if (f.baseFeeWei !== null && f.baseFeeWei > BigInt(rules.max_base_fee_wei)) return { action: 'pause', reason: `base fee ${f.baseFeeWei} wei is above kill.max_base_fee_wei ${rules.max_base_fee_wei}` }
  if (rules.max_head_age_s > 0 && f.headAgeS !== null && f.headAgeS > rules.max_head_age_s) return { action: 'pause', reason: `the pinned block is ${Math.round(f.headAgeS)} s old (kill.max_head_age_s ${rules.max_head_age_s})` }
  return { action: 'ok' }
}

/** Realized net (micro-USD, exact from each trade's own rates) of trades settled in the last 24 h. */
export function dailyNetUsdMicro(trades: readonly TradeRecord[], nowMs: number): bigint {
  let sum = 0n
  for (const t of trades) {
    if (!t.realized || Date.parse(t.updated_at) < nowMs - DAY_MS) continue
    sum += netUsdMicro(t) ?? 0n
  }
  return sum
}

/** A trade's realized net in micro-USD through the quote token's USD rate at its pinned block. */
export function netUsdMicro(t: TradeRecord): bigint | null {
  if (!t.realized || !t.rates.quote_to_usd_micro) return null
  const { num, den } = t.rates.quote_to_usd_micro
  return (BigInt(t.realized.net) * BigInt(num)) / BigInt(den)
}

function formatMicro(micro: bigint): string {
  const sign = micro < 0n ? '-' : ''
  const abs = micro < 0n ? -micro : micro
  return `${sign}${abs / 1_000_000n}.${(abs % 1_000_000n).toString().padStart(6, '0')}`
}

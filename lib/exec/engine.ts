import { existsSync } from 'node:fs'
import { encodeFunctionData, type Address, type Hex } from 'viem'
import type { Config } from '../config/resolve.ts'
import type { ExecutionCycle, KillState, TradeRecord } from '../contract/execution.ts'
import type { RejectCode } from '../contract/rejectCodes.ts'
import type { Reject } from '../contract/parts.ts'
import { withRejects, type CycleResult } from '../scan/cycleResult.ts'
import { makeReject } from '../scan/reject.ts'
import type { CycleInput } from '../scan/types.ts'
import type { Plan } from '../sim/plan.ts'
import { executorAbi } from '../sim/executor.ts'
import { simulatePlans, type SimulationTarget } from '../sim/simulate.ts'
import { InputError } from '../errors.ts'
import { realize } from './accounting.ts'
import { execCandidates, routeOfId, type ExecCandidate } from './candidates.ts'
import type { ExecChain, Head } from './chain.ts'
import type { ExecLog } from './execLog.ts'
import { failpoint } from './failpoint.ts'
import { killVerdict, type KillVerdict } from './killswitch.ts'
import { txHash, type Signer } from './signer.ts'
import type { Baseline, TradePatch, TradeStore } from './store.ts'
import type { Submitter } from './submit.ts'

export type EngineParameters = {
  config: Config
  mode: 'dry-run' | 'live'
  store: TradeStore
  chain: ExecChain
  submitter: Submitter
  signer: Signer
  executor: Address
  runId: string
  log: ExecLog
  /** A file whose presence halts (persisted), e.g. `<output-dir>/KILL`. */
  killFile: string
  /** The stop signal received, if any: nothing new is signed after it. */
  stopping: () => string | null
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

type CycleContext = { input: CycleInput; result: CycleResult; plans: Plan[] }

/**
 * The guarded execution loop, one trade in flight per signer: for a cycle whose best plan
 * passed simulation, check the kill switch and the head, re-simulate if the head moved,
 * reserve the nonce and store the signed bytes (one durable write) before any send, send,
 * follow the receipt (rebroadcasting only the same bytes), settle from the receipt, and check
 * the kill switch again. Every step is a state-machine transition in the ledger and a line
 * in exec.log.
 */
export class ExecutionEngine {
  private readonly now: () => number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly tokens: Address[]
  private readonly target: SimulationTarget
  private paused: string | null = null
  readonly reconciled: string[] = []

  constructor(private readonly p: EngineParameters) {
    this.now = p.now ?? (() => Date.now())
    this.sleep = p.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.tokens = [...new Set([...p.config.tokens.values()].map((t) => t.address))]
    this.target = { to: p.executor, from: p.signer.address, code: null, l1: p.config.execution.l1_cost }
  }

  private get rules() {
    return this.p.config.execution
  }

  /**
   * Before anything is signed: every trade a previous run left unfinished is resolved against
   * the chain (receipt, nonce), the nonce allocator starts from the chain, and the balances
   * that must not move outside a trade are recorded.
   */
  async start(): Promise<void> {
    const { store, signer } = this.p
    for (const trade of store.unfinished()) {
      await this.reconcile(trade)
      this.reconciled.push(trade.id)
    }
    if (store.nextNonce(signer.address) === null) store.setNextNonce(signer.address, await this.p.chain.nonce(signer.address))
    const head = await this.p.chain.head()
    await this.recordMissingBaselines(head.number)
  }

  private async reconcile(trade: TradeRecord): Promise<void> {
    this.p.log.write('info', 'reconcile', `trade ${trade.id} was left ${trade.state}: resolving it against the chain`, { trade: trade.id, from: trade.state })
    if (trade.state === 'DETECTED' || trade.state === 'SIMULATED') {
      this.step(trade.id, 'reject', { code: 'EXEC_STALE' }, { detail: 'interrupted before signing; the next cycle decides afresh' })
      return
    }
    await this.follow(this.p.store.get(trade.id)!, { restart: true })
  }

  /** One cycle's execution: at most one trade, which ends in a terminal state before the cycle does. */
  async onCycle({ input, result, plans }: CycleContext): Promise<{ result: CycleResult; execution: ExecutionCycle }> {
    const { store } = this.p
    this.quarantineMismatches(result)
    // Too many quarantined routes halts at once, trade or not.
    const quarantined = store.quarantined(this.now()).length
    if (quarantined >= this.rules.kill.max_quarantined_routes) this.halt(`${quarantined} routes quarantined after simulation mismatches (kill.max_quarantined_routes ${this.rules.kill.max_quarantined_routes})`, input.block)
    const candidates = execCandidates(result, plans, this.p.config, new Set(store.quarantined(this.now()).map((q) => q.route)))
    const chosen = candidates[0]
    let trade: TradeRecord | null = null
    if (chosen) trade = await this.trade(chosen, input)
    const kill = store.killState(this.now(), this.paused)
    return {
      result: withExecution(result, kill, trade?.code ? [rejectOf(trade)] : []),
      execution: {
        mode: this.p.mode,
        trade: trade && { id: trade.id, state: trade.state, route: trade.route, tx_hash: trade.tx?.hash ?? null, code: trade.code, realized_profit: trade.realized?.profit ?? null, predicted_profit: trade.predicted.profit },
        kill,
        paper: null,
      },
    }
  }

  private quarantineMismatches(result: CycleResult): void {
    for (const sim of result.simulations.filter((s) => s.status === 'mismatch')) {
      const { route } = routeOfId(sim.id)
      const reason = `simulated profit ${sim.profit} ≠ predicted ${sim.predicted_profit} at block ${sim.block}`
      this.p.store.quarantine(route, this.now() + this.rules.kill.quarantine_minutes * 60_000, reason)
      this.p.log.write('warn', 'quarantine', `route ${route} quarantined: ${reason}`, { block: sim.block })
    }
  }

  private async trade(c: ExecCandidate, input: CycleInput): Promise<TradeRecord> {
    const { store, signer } = this.p
    const id = `${this.p.runId}-c${input.cycle}`
    const inserted = store.insert({
      id, run_id: this.p.runId, mode: this.p.mode, route: c.route, pair: c.plan.pair.name, buy_venue: c.buyVenue, sell_venue: c.sellVenue,
      kind: c.plan.kind, opportunity_id: c.plan.id, size: c.plan.size.toString(),
      quote_token: { symbol: c.plan.pair.quote.symbol, address: c.plan.pair.quote.address, decimals: c.plan.pair.quote.decimals },
      pin_block: input.block, sim_block: null, signed_block: null,
      predicted: {
        profit: c.plan.gross.toString(), gas_used: c.gasUsed.toString(), l1_gas: c.l1Gas.toString(), base_fee_wei: (input.gasPriceWei ?? 0n).toString(),
        cost_wei: c.costWei.toString(), cost: c.cost.toString(), net: c.net.toString(), net_usd: c.netUsdMicro === null ? null : Number(c.netUsdMicro) / 1e6,
      },
      rates: {
        wei_to_quote: { num: c.weiToQuote.num.toString(), den: c.weiToQuote.den.toString() },
        quote_to_usd_micro: c.quoteToUsdMicro && { num: c.quoteToUsdMicro.num.toString(), den: c.quoteToUsdMicro.den.toString() },
      },
      calldata: c.plan.calldata, signer: signer.address, executor: this.p.executor,
      tx: null, submit_path: null, sends: 0, receipt: null, realized: null, code: null, detail: null,
    }, input.block)
    this.logTransition(inserted)
    failpoint('detected')
    this.step(id, 'pass', { sim_block: input.block }, { block: input.block, detail: `simulation passed at block ${input.block}: profit ${c.plan.gross}, net ${c.net}` })
    failpoint('simulated')

    // The kill switch and the head, immediately before the signature.
    const head = await this.p.chain.head()
    const verdict = await this.verdict(head, input)
    if (verdict.action !== 'ok') {
      const code: RejectCode = verdict.action === 'halt' ? 'EXEC_HALTED' : 'EXEC_PAUSED'
      return this.step(id, 'reject', { code }, { block: head.number, detail: verdict.reason })
    }
    const lag = head.number - input.block
    if (lag > this.rules.max_block_lag) {
      return this.step(id, 'reject', { code: 'EXEC_STALE' }, { block: head.number, detail: `head ${head.number} is ${lag} blocks past the pin ${input.block} (execution.max_block_lag ${this.rules.max_block_lag})` })
    }
    let simBlock = input.block
    if (lag > 0) {
      // The head moved: the signed bytes must have been simulated at the head itself.
      const [again] = await simulatePlans(this.p.chain.client, [c.plan], { block: BigInt(head.number), timestamp: BigInt(head.timestamp) }, this.target, { simulateV1: true })
      if (!again?.ok || again.profit !== c.plan.gross) {
        const why = again?.ok ? `profit ${again.profit} ≠ predicted ${c.plan.gross}` : `reverts: ${again?.revert?.text ?? 'unknown'}`
        return this.step(id, 'reject', { code: 'EXEC_STALE' }, { block: head.number, detail: `re-simulated at head ${head.number} (pin ${input.block}): ${why}` })
      }
      simBlock = head.number
    }
    return this.signAndSend(id, { gasUsed: c.gasUsed, l1Gas: c.l1Gas, calldata: c.plan.calldata }, head, simBlock)
  }

  private async signAndSend(id: string, c: { gasUsed: bigint; l1Gas: bigint; calldata: Hex }, head: Head, simBlock: number): Promise<TradeRecord> {
    const { store, signer } = this.p
    const nonce = store.nextNonce(signer.address)!
    const gasLimit = ceilDiv((c.gasUsed + c.l1Gas) * BigInt(this.rules.gas_limit_pct), 100n)
    const maxFeePerGas = ceilDiv((head.baseFeeWei ?? 0n) * BigInt(this.rules.max_fee_pct), 100n)
    const raw = await signer.signTransaction({
      type: 'eip1559', chainId: this.p.config.chain.chainId, nonce, to: this.p.executor, data: c.calldata, value: 0n,
      gas: gasLimit, maxFeePerGas, maxPriorityFeePerGas: 0n,
    })
    // A stop signal that arrived while signing: the bytes are dropped, never stored or sent.
    const stop = this.p.stopping()
    if (stop) return this.step(id, 'reject', { code: 'EXEC_HALTED' }, { block: head.number, detail: `stopping on ${stop}: nothing new is signed` })
    const tx = { nonce, hash: txHash(raw), raw, gas_limit: gasLimit.toString(), max_fee_per_gas: maxFeePerGas.toString() }
    let trade = store.sign(id, { tx, sim_block: simBlock, signed_block: head.number, submit_path: this.p.mode === 'live' ? this.p.submitter.path : null }, head.number, { reserve: this.p.mode === 'live' })
    this.logTransition(trade)
    failpoint('signed')
    if (this.p.mode === 'dry-run') return this.step(id, 'dry_run', {}, { block: head.number, detail: `dry-run: signed with nonce ${nonce}, not sent` })

    const sent = await this.p.submitter.send(raw)
    failpoint('sent')
    if (sent.kind === 'refused') return this.refused(store.get(id)!, sent.message)
    trade = this.step(id, 'send', { sends: 1 }, { block: head.number, detail: sent.kind === 'unknown' ? `no clear answer (${sent.message}); tracking it as sent` : `sent via ${this.p.submitter.path}` })
    failpoint('submitted')
    return this.follow(trade, { restart: false })
  }

  /**
   * A refusal is the endpoint's word; the nonce goes back only on the chain's: for one
   * rebroadcast interval the receipt and the nonce are watched (another path may have carried
   * the bytes), and only a nonce still free at the end is released.
   */
  private async refused(trade: TradeRecord, message: string): Promise<TradeRecord> {
    const { chain, executor, signer } = this.p
    const until = this.now() + this.rules.rebroadcast_ms
    for (;;) {
      const receipt = await chain.receipt(trade.tx!.hash as Hex, executor)
      if (receipt) return this.settle(trade, receipt)
      const chainNonce = await chain.nonce(signer.address)
      if (chainNonce > trade.tx!.nonce) {
        const late = await chain.receipt(trade.tx!.hash as Hex, executor)
        return late ? this.settle(trade, late) : this.conflict(trade, chainNonce)
      }
      if (this.now() >= until) break
      await this.sleep(this.pollMs())
    }
    const released = this.p.store.release(trade.id, 'refused', { code: 'EXEC_SEND_REFUSED' }, `refused: ${message}; nonce ${trade.tx!.nonce} was not used`)
    this.logTransition(released)
    return released
  }

  /**
   * Follows a signed trade to a terminal state: its receipt settles it; without one the same
   * bytes are re-sent every `rebroadcast_ms`, `rebroadcasts` times; then the nonce decides —
   * used by someone else: CONFLICT (and halt); still free: DROPPED, and the nonce is released.
   */
  private async follow(trade: TradeRecord, { restart }: { restart: boolean }): Promise<TradeRecord> {
    const { chain, executor } = { chain: this.p.chain, executor: this.p.executor }
    const tx = trade.tx!
    if (trade.state === 'INCLUDED' || trade.state === 'REVERTED') return this.settle(trade, (await chain.receipt(tx.hash as Hex, executor))!)
    let current = trade
    let lastSend = restart ? -Infinity : this.now()
    for (;;) {
      const receipt = await chain.receipt(tx.hash as Hex, executor)
      if (receipt) return this.settle(current, receipt)
      if (this.now() - lastSend >= this.rules.rebroadcast_ms) {
        // The first send and `rebroadcasts` more, then the nonce decides.
        if (current.sends > this.rules.rebroadcasts) break
        const chainNonce = await chain.nonce(this.p.signer.address)
        if (chainNonce > tx.nonce) {
          const late = await chain.receipt(tx.hash as Hex, executor)
          return late ? this.settle(current, late) : this.conflict(current, chainNonce)
        }
        const again = await this.p.submitter.send(tx.raw as Hex)
        lastSend = this.now()
        const event = current.state === 'SIGNED' ? 'send' : 'rebroadcast'
        current = this.step(current.id, event, { sends: current.sends + 1, submit_path: this.p.submitter.path }, { detail: `the same signed bytes sent again (${again.kind}${again.kind === 'accepted' ? '' : `: ${again.message}`})` })
        if (event === 'send') failpoint('submitted')
      }
      await this.sleep(this.pollMs())
    }
    const chainNonce = await chain.nonce(this.p.signer.address)
    const late = await chain.receipt(tx.hash as Hex, executor)
    if (late) return this.settle(current, late)
    if (chainNonce > tx.nonce) return this.conflict(current, chainNonce)
    const dropped = this.p.store.release(current.id, 'dropped', { code: 'EXEC_DROPPED' }, `no receipt after ${current.sends} sends of the same bytes; nonce ${tx.nonce} is still free`)
    this.logTransition(dropped)
    return dropped
  }

  /** How often a pending transaction's receipt is asked for. */
  private pollMs(): number {
    return Math.max(5, Math.min(50, Math.floor(this.rules.rebroadcast_ms / 4)))
  }

  private conflict(trade: TradeRecord, chainNonce: number): TradeRecord {
    const reason = `nonce ${trade.tx!.nonce} was used by a transaction not in the ledger (chain nonce ${chainNonce})`
    const conflicted = this.step(trade.id, 'conflict', { code: 'EXEC_NONCE_CONFLICT' }, { detail: reason })
    this.halt(reason, null)
    // Nothing of ours will ever carry that nonce: the allocator follows the chain.
    this.p.store.setNextNonce(this.p.signer.address, chainNonce)
    return conflicted
  }

  private async settle(trade: TradeRecord, receipt: NonNullable<Awaited<ReturnType<ExecChain['receipt']>>>): Promise<TradeRecord> {
    const { chain, executor, store } = this.p
    const quote = trade.quote_token.address as Address
    const [after, before] = await Promise.all([
      chain.tokenBalances(executor, [quote], BigInt(receipt.block)),
      chain.tokenBalances(executor, [quote], BigInt(receipt.block - 1)),
    ])
    failpoint('mined')
    const { receipt: seen, realized } = realize(trade, { ...receipt, balanceDelta: after.get(quote)! - before.get(quote)! })
    let current = trade
    if (current.state === 'SIGNED' || current.state === 'SUBMITTED') {
      current = this.step(trade.id, receipt.status === 'success' ? 'mined' : 'reverted', { receipt: seen }, { block: receipt.block, detail: `in block ${receipt.block}: ${receipt.status}, gas ${receipt.gasUsed}` })
      failpoint('included')
    }
    // The balances after the receipt become the new baselines in the same write as the settlement:
    // a crash between the two would otherwise read as money moving outside a trade.
    current = this.step(trade.id, 'settle', { realized, code: receipt.status === 'reverted' ? 'EXEC_REVERTED' : null }, {
      block: receipt.block,
      detail: `profit ${realized.profit} (predicted ${trade.predicted.profit}, diff ${realized.profit_diff}); gas ${receipt.gasUsed} (predicted diff ${realized.gas_diff}); net ${realized.net}`,
      baselines: await this.baselinesAt(receipt.block),
    })
    failpoint('settled')
    // minProfit = predicted makes less impossible on-chain; if it ever shows, the route is suspect.
    if (BigInt(realized.profit_diff) < 0n && receipt.status === 'success') {
      store.quarantine(trade.route, this.now() + this.rules.kill.quarantine_minutes * 60_000, `realized profit ${realized.profit} ≠ predicted ${trade.predicted.profit}`)
    }
    // After every receipt: the rules that look at outcomes.
    const verdict = killVerdict({ ...this.emptyFacts(), trades: this.settled(), quarantinedRoutes: store.quarantined(this.now()).length }, this.rules.kill)
    if (verdict.action === 'halt') this.halt(verdict.reason, receipt.block)
    return current
  }

  private async verdict(head: Head, input: CycleInput): Promise<KillVerdict> {
    const { store, signer, executor } = this.p
    const balances = await this.p.chain.balances(signer.address, executor, this.tokens, head.number)
    const verdict = killVerdict({
      nowMs: this.now(),
      halted: store.halt().state === 'halted' ? store.halt().reason ?? 'halted' : null,
      killFile: existsSync(this.p.killFile),
      stopping: this.p.stopping(),
      trades: this.settled(),
      quarantinedRoutes: store.quarantined(this.now()).length,
      signerBalance: balances.signerWei,
      signerBaseline: store.baseline('signer')?.value ?? null,
      executorBalances: this.tokens.map((token) => ({ token, balance: balances.executor.get(token)!, baseline: store.baseline(`executor:${token.toLowerCase()}`)?.value ?? null })),
      chainNonce: balances.nonce,
      ledgerNonce: store.nextNonce(signer.address),
      baseFeeWei: head.baseFeeWei,
      headAgeS: input.blockTimestamp === null ? null : this.now() / 1000 - input.blockTimestamp,
    }, this.rules.kill)
    this.paused = verdict.action === 'pause' ? verdict.reason : null
    // A stop signal ends signing for this process only; every other halt is persisted.
    if (verdict.action === 'halt' && !this.p.stopping()) this.halt(verdict.reason, head.number)
    return verdict
  }

  private emptyFacts() {
    return { nowMs: this.now(), halted: null, killFile: false, stopping: null, signerBalance: null, signerBaseline: null, executorBalances: [], chainNonce: null, ledgerNonce: null, baseFeeWei: null, headAgeS: null }
  }

  /** Settled trades the rules look at: the last 24 h (loss) and the last `revert_window` (streak, rate). */
  private settled(): TradeRecord[] {
    const { store } = this.p
    const recent = store.list({ states: ['SETTLED'], sinceMs: this.now() - 86_400_000 })
    const window = store.list({ states: ['SETTLED'], limit: this.rules.kill.revert_window })
    const byId = new Map([...window, ...recent].map((t) => [t.id, t]))
    return [...byId.values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
  }

  private halt(reason: string, block: number | null): void {
    const before = this.p.store.halt()
    this.p.store.setHalted(reason, block)
    if (before.state !== 'halted') this.p.log.write('error', 'kill.halt', `HALT: ${reason}`, { block })
  }

  /** The balances that may change only through a trade (or a sweep), as of `block`. */
  private async baselinesAt(block: number): Promise<Baseline[]> {
    const balances = await this.p.chain.balances(this.p.signer.address, this.p.executor, this.tokens, block)
    return [{ key: 'signer', value: balances.signerWei, block }, ...[...balances.executor].map(([token, value]) => ({ key: `executor:${token.toLowerCase()}`, value, block }))]
  }

  /** At the first start (or after a resume), the balances as they are become the baselines. */
  private async recordMissingBaselines(block: number): Promise<void> {
    if (this.p.store.baseline('signer')) return
    for (const b of await this.baselinesAt(block)) this.p.store.setBaseline(b.key, b.value, b.block)
  }

  /** A transition, written to the ledger and to exec.log. */
  private step(id: string, event: Parameters<TradeStore['apply']>[1], patch: TradePatch, options: Parameters<TradeStore['apply']>[3] = {}): TradeRecord {
    const after = this.p.store.apply(id, event, patch, options)
    this.logTransition(after)
    return after
  }

  private logTransition(trade: TradeRecord): void {
    const last = trade.transitions[trade.transitions.length - 1]!
    const from = last.from
    const level = trade.state === 'CONFLICT' || trade.code === 'EXEC_REVERTED' ? 'error' : trade.code ? 'warn' : 'info'
    this.p.log.write(level, 'trade', `${trade.id} ${from ?? '∅'} → ${trade.state}${last.detail ? `: ${last.detail}` : ''}`, {
      trade: trade.id, from, to: trade.state, block: last.block, tx_hash: trade.tx?.hash ?? null,
      ...(trade.code && { data: { code: trade.code } }),
    })
  }

  /**
   * Moves the executor's balance of `token` to `to` (owner-only on-chain): a transaction like a
   * trade — simulated at the head, its nonce reserved with its bytes before the send, followed to
   * its receipt — allowed while halted (getting funds out is what a halt is for), refused while
   * any trade is unfinished or the nonce disagrees with the chain.
   */
  async sweep(token: { symbol: string; address: Address; decimals: number }, to: Address, amount?: bigint): Promise<TradeRecord> {
    const { store, chain, signer, executor } = this.p
    if (store.unfinished().length) throw new InputError('EXEC_BUSY', 'a trade is unfinished; it must be resolved before a sweep', { hint: 'run a scan with execution live (it reconciles first), then sweep' })
    const head = await chain.head()
    const balances = await chain.balances(signer.address, executor, [token.address], head.number)
    if (balances.nonce !== store.nextNonce(signer.address)) throw new InputError('EXEC_NONCE_MISMATCH', `the chain's nonce ${balances.nonce} for ${signer.address} is not the ledger's ${store.nextNonce(signer.address)}`, { hint: 'check `exec status`; the key may be used elsewhere' })
    const held = balances.executor.get(token.address)!
    const value = amount ?? held
    if (value === 0n || value > held) throw new InputError('SWEEP_NOTHING', `the executor holds ${held} ${token.symbol} base units; cannot sweep ${value}`, { hint: 'pass a smaller --amount, or another --token' })
    const calldata = encodeFunctionData({ abi: executorAbi, functionName: 'sweep', args: [token.address, to, value] })
    const gas = await chain.client.estimateGas({ account: signer.address, to: executor, data: calldata, blockNumber: BigInt(head.number) })
    const baseFee = head.baseFeeWei ?? 0n
    const id = `${this.p.runId}-sweep`
    const trade = store.insert({
      id, run_id: this.p.runId, mode: 'live', route: `sweep|${token.symbol}`, pair: token.symbol, buy_venue: '-', sell_venue: '-',
      kind: 'sweep', opportunity_id: 'sweep', size: value.toString(), quote_token: { symbol: token.symbol, address: token.address, decimals: token.decimals },
      pin_block: head.number, sim_block: null, signed_block: null,
      predicted: { profit: '0', gas_used: gas.toString(), l1_gas: '0', base_fee_wei: baseFee.toString(), cost_wei: (gas * baseFee).toString(), cost: '0', net: '0', net_usd: null },
      rates: { wei_to_quote: { num: '0', den: '1' }, quote_to_usd_micro: null },
      calldata, signer: signer.address, executor, tx: null, submit_path: null, sends: 0, receipt: null, realized: null, code: null, detail: `sweep ${value} ${token.symbol} to ${to}`,
    }, head.number)
    this.logTransition(trade)
    this.step(id, 'pass', { sim_block: head.number }, { block: head.number, detail: `eth_estimateGas at block ${head.number}: ${gas}` })
    const plan = { gasUsed: gas, l1Gas: 0n, calldata }
    return this.signAndSend(id, plan, head, head.number)
  }

  killState(): KillState {
    return this.p.store.killState(this.now(), this.paused)
  }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b
}

function rejectOf(trade: TradeRecord): Reject {
  const last = trade.transitions[trade.transitions.length - 1]!
  return makeReject(trade.code!, 'execution', `${trade.id}: ${last.detail ?? trade.state}`, { pair: trade.pair, buy_venue: trade.buy_venue, sell_venue: trade.sell_venue, size: trade.size })
}

/**
 * The cycle's verdict with execution's part: while the kill switch is halted or paused, the
 * opportunities the simulation made ready carry KILL_SWITCH_ACTIVE instead, and those on a
 * quarantined route ROUTE_QUARANTINED; the trade's reject, if any, joins the list.
 */
function withExecution(result: CycleResult, kill: KillState, rejects: Reject[]): CycleResult {
  const blocked = kill.state === 'halted' || kill.paused !== null
  const quarantined = new Set(kill.quarantined.map((q) => q.route))
  const opportunities = result.opportunities.map((o) => {
    if (!o.is_execution_ready) return o
    if (blocked) return { ...o, is_execution_ready: false, execution_blockers: ['KILL_SWITCH_ACTIVE' as const] }
    if (quarantined.has(routeOfId(o.id).route)) return { ...o, is_execution_ready: false, execution_blockers: ['ROUTE_QUARANTINED' as const] }
    return o
  })
  return withRejects(result, rejects, {
    opportunities,
    blocker: blocked ? 'KILL_SWITCH_ACTIVE' : result.blocker,
    stats: { ...result.stats, execution_ready_count: opportunities.filter((o) => o.is_execution_ready).length },
  })
}

import type { RpcHealth } from '../contract/truthReport.ts'
import { InfraError } from '../errors.ts'
import { checkAnswer } from './answers.ts'
import { classify, type Fault } from './classify.ts'
import { Endpoint, MAX_BATCH, type EndpointStatus } from './endpoint.ts'
import { summarizeHealth } from './health.ts'

export type RpcPoolOptions = {
  urls: string[]
  expectedChainId: number
  /** For messages only. */
  chainName?: string
  timeoutMs: number
  /** Retries per endpoint per request, for transient faults only. */
  retries: number
  backoffBaseMs: number
  /** Requests per second per endpoint (token bucket refill) and the bucket's capacity. */
  ratePerSecond: number
  burst?: number
  /** Rate-limit loopback endpoints too (off: a local node has no quota). */
  throttleLoopback?: boolean
  /** No retries once a cycle has spent this long. */
  cycleRetryBudgetMs: number
  /** Pin this many blocks behind the highest head (0 = the highest head). */
  pinLagBlocks: number
  onWarn?: (message: string) => void
}

/** Endpoints that failed this many times in a row go to the back of the line. */
const DEMOTE_AFTER = 3
/** After the first endpoint answers, how long the others have to answer before the pin. */
const PROBE_GRACE_MS = 200
const MAX_BACKOFF_MS = 5_000
/** A Retry-After up to this long is waited out; a longer one rests the endpoint instead. */
const MAX_RETRY_AFTER_WAIT_MS = 1_000

type Request = { method: string; params?: unknown }

/**
 * Several endpoints behind one request function: per-endpoint rate limits, health
 * ranking, fallback, retries with exponential backoff and jitter for transient faults
 * only, a retry-time budget per cycle, and a per-cycle pin that every endpoint used in
 * the cycle can serve.
 */
export class RpcPool {
  readonly endpoints: Endpoint[]
  private deadline = Number.POSITIVE_INFINITY
  private warned = new Set<string>()
  private cycle = 0
  private readonly closing = new AbortController()

  constructor(private readonly options: RpcPoolOptions) {
    this.endpoints = options.urls.map((url) => new Endpoint(url, {
      timeoutMs: options.timeoutMs, ratePerSecond: options.ratePerSecond, burst: options.burst ?? 1,
      throttleLoopback: options.throttleLoopback ?? true, closed: this.closing.signal,
    }))
  }

  /** Ends every request in flight and every retry loop (a probe of a hanging endpoint, say). */
  close(): void {
    this.closing.abort()
  }

  get closed(): boolean {
    return this.closing.signal.aborted
  }

  /**
   * Starts a cycle: probes every endpoint (chain id once, head every cycle), drops wrong
   * chains, pins `max(head) − pinLagBlocks` and benches endpoints behind the pin.
   */
  async beginCycle(): Promise<{ pin: bigint } | { error: string }> {
    this.deadline = performance.now() + this.options.cycleRetryBudgetMs
    const cycle = ++this.cycle
    const candidates = this.endpoints.filter((e) => e.status !== 'wrong_chain')
    for (const endpoint of this.endpoints) endpoint.resetCycle()
    // Until its probe answers in time, an endpoint is down for this cycle.
    for (const endpoint of candidates) Object.assign(endpoint, { status: 'down', head: null })
    const awake = candidates.filter((endpoint) => endpoint.restingUntil <= performance.now())
    let firstAnswer: number | null = null
    let open = true
    const probes = awake.map((endpoint) => this.probe(endpoint).then((result) => {
      if (!open || this.cycle !== cycle) return // too late: this cycle is already pinned
      endpoint.status = result.status
      endpoint.head = result.head
      if (result.head !== null) firstAnswer ??= performance.now()
    }))
    // A hanging endpoint must not hold the pin: once one endpoint answered, the others get
    // PROBE_GRACE_MS more, then the cycle goes on without them.
    await Promise.race([
      Promise.all(probes),
      (async () => {
        while (firstAnswer === null || performance.now() - firstAnswer < PROBE_GRACE_MS) {
          if (performance.now() > this.deadline || this.closed) return
          await this.sleep(10)
        }
      })(),
    ])
    open = false

    // Every endpoint answered with another chain: configuration error, not a transient fault.
    if (this.endpoints.every((e) => e.status === 'wrong_chain')) {
      throw new InfraError('CHAIN_MISMATCH', `RPC is on chain ${this.endpoints[0]!.chainId}, the config expects ${this.options.expectedChainId}${this.options.chainName ? ` (${this.options.chainName})` : ''}`, {
        hint: 'point --rpc / ARBY_RPC_URLS at an endpoint of the configured chain, or use another --config',
        details: this.endpoints.map((e) => `${e.label}: chain ${e.chainId}`),
      })
    }
    const heads = this.endpoints.filter((e) => e.status === 'active' && e.head !== null).map((e) => e.head!)
    if (!heads.length) return { error: `no endpoint answered eth_blockNumber (${this.endpoints.map((e) => `${e.label} ${this.why(e)}`).join('; ')})` }
    const top = heads.reduce((a, b) => (a > b ? a : b))
    const pin = top - BigInt(this.options.pinLagBlocks)
    if (pin <= 0n) return { error: `head block is ${top}` }
    for (const endpoint of this.endpoints) {
      if (endpoint.status === 'active' && endpoint.head! < pin) endpoint.status = 'lagging'
    }
    return { pin }
  }

  /**
   * Starts a cycle at a head the caller just saw (announced, or polled a moment ago), without the
   * probe's round trip (the one a 250 ms block can least afford): the endpoints keep their
   * standing from the last probe, and one that lacks the block fails its requests and is benched
   * like any. Null when no endpoint is active (the caller probes).
   */
  beginCycleAt(pin: bigint): { pin: bigint } | null {
    if (pin <= 0n || !this.endpoints.some((e) => e.status === 'active')) return null
    this.deadline = performance.now() + this.options.cycleRetryBudgetMs
    this.cycle++
    for (const endpoint of this.endpoints) {
      endpoint.resetCycle()
      // The head this cycle stands on, as reported (the one the wait saw).
      if (endpoint.status === 'active' && (endpoint.head === null || endpoint.head < pin)) endpoint.head = pin
    }
    return { pin }
  }

  /** Why an endpoint cannot serve this cycle, in a few words (status and last error kind). */
  private why(endpoint: Endpoint): string {
    const resting = endpoint.restingUntil - performance.now()
    if (resting > 0) return `rate-limited (Retry-After: resting ${Math.ceil(resting / 1000)} s more)`
    const last = endpoint.lastError
    return last ? `${endpoint.status} (${last.kind}: ${last.message})` : endpoint.status
  }

  /** The first head above `block` any endpoint reports (watch mode); null if none does. */
  async headAbove(block: bigint): Promise<bigint | null> {
    const asks = this.endpoints.filter((e) => e.status !== 'wrong_chain' && e.restingUntil <= performance.now()).map(async (endpoint) => {
      const head = BigInt(await this.attempt(endpoint, 'eth_blockNumber', []) as string)
      if (head <= block) throw new Error('not yet')
      return head
    })
    return Promise.any(asks).catch(() => null)
  }

  /** The EIP-1193 request function: fallback across active endpoints, best first. */
  readonly request = async ({ method, params }: Request): Promise<unknown> => {
    let lastError: unknown
    for (let attempt = 0; attempt < this.maxAttempts(); attempt++) {
      if (this.closed) break
      const ranked = this.usable()
      const endpoint = ranked[attempt % Math.max(1, ranked.length)]
      if (!endpoint) break
      if (attempt > 0) {
        if (performance.now() > this.deadline) break
        endpoint.counters.retries++
        // Every endpoint tried once more: back off before the next round.
        if (attempt % ranked.length === 0) await this.sleep(backoff(this.options.backoffBaseMs, attempt / ranked.length))
      }
      try {
        return await this.attempt(endpoint, method, params)
      } catch (error) {
        const fault = (error as { fault?: Fault }).fault ?? classify(error)
        if (!fault.transient) throw error
        lastError = error
      }
    }
    throw lastError ?? new InfraError('INFRA_RPC_ERROR', this.usable().length ? 'RPC retry budget exhausted' : `no endpoint can serve the cycle (${this.endpoints.map((e) => `${e.label} ${this.why(e)}`).join('; ')})`)
  }

  /**
   * Several requests in one round trip: a JSON-RPC batch to the best endpoint, each answer
   * checked as if asked alone. Anything short of every answer (a refused batch, a fault, one
   * bad item) falls back to one request each, with the pool's fallback and retries; an endpoint
   * that cannot take batches at all is not sent another.
   */
  async requestAll(requests: Request[]): Promise<unknown[]> {
    const endpoint = this.usable().find((e) => e.batches)
    if (endpoint && requests.length > 1 && requests.length <= MAX_BATCH && !this.closed) {
      if (endpoint.bucket) await Promise.all(requests.map(() => endpoint.bucket!.take()))
      const sent = endpoint.batch(requests)
      const answers = await Promise.allSettled(requests.map(({ method, params }, i) => this.attempt(endpoint, method, params, { sent: sent[i] })))
      if (answers.every((a) => a.status === 'fulfilled')) return answers.map((a) => (a as PromiseFulfilledResult<unknown>).value)
      const refused = answers.find((a) => a.status === 'rejected' && refusesBatches((a as PromiseRejectedResult).reason))
      if (refused) {
        endpoint.batches = false
        this.warnOnce(`${endpoint.label} does not take JSON-RPC batches: one request each from now on`)
      }
    }
    return Promise.all(requests.map((request) => this.request(request)))
  }

  /** One attempt on one endpoint: rate limit (taken already for a batch: `sent`, its answer), request, bookkeeping. */
  private async attempt(endpoint: Endpoint, method: string, params: unknown, { sent }: { sent?: Promise<unknown> } = {}): Promise<unknown> {
    const waited = endpoint.bucket && !sent ? await endpoint.bucket.take() : 0
    if (waited > 1) {
      endpoint.counters.rateLimitWaits++
      endpoint.counters.rateLimitWaitMs += waited
    }
    if (this.closed) throw Object.assign(new Error('RPC pool closed'), { name: 'AbortError' })
    endpoint.counters.requests++
    const started = performance.now()
    try {
      const result = await (sent ?? endpoint.request({ method, params } as never))
      checkAnswer(method, result)
      endpoint.recordOk(performance.now() - started)
      return result
    } catch (error) {
      const fault = classify(error)
      endpoint.recordFault(fault.kind, performance.now() - started, fault.message)
      if (fault.retryAfterMs !== null) this.honorRetryAfter(endpoint, fault.retryAfterMs)
      // It cannot serve the pinned block: bench it for the rest of the cycle.
      if (fault.kind === 'stale_block') endpoint.status = 'lagging'
      Object.assign(error as object, { fault })
      throw error
    }
  }

  /**
   * A short Retry-After is waited out before the endpoint's next request; a long one (an
   * hour, a daily quota) rests the endpoint: nothing is sent to it until then, and no cycle
   * or exit waits for it.
   */
  private honorRetryAfter(endpoint: Endpoint, ms: number): void {
    if (ms <= MAX_RETRY_AFTER_WAIT_MS && endpoint.bucket) endpoint.bucket.delay(ms)
    else if (ms > MAX_RETRY_AFTER_WAIT_MS) {
      endpoint.restingUntil = performance.now() + ms
      endpoint.status = 'down'
    }
  }

  /** Chain id (once) and head of one endpoint, with retries while no other endpoint answered. */
  private async probe(endpoint: Endpoint): Promise<{ status: EndpointStatus; head: bigint | null }> {
    for (let attempt = 0; attempt < this.maxAttempts(); attempt++) {
      try {
        if (endpoint.chainId === null) endpoint.chainId = Number(await this.attempt(endpoint, 'eth_chainId', []))
        if (endpoint.chainId !== this.options.expectedChainId) {
          this.warnOnce(`${endpoint.label} is on chain ${endpoint.chainId}, not ${this.options.expectedChainId}: dropped`)
          return { status: 'wrong_chain', head: null }
        }
        return { status: 'active', head: BigInt(await this.attempt(endpoint, 'eth_blockNumber', []) as string) }
      } catch (error) {
        const fault = (error as { fault?: Fault }).fault ?? classify(error)
        if (!fault.transient || performance.now() > this.deadline || this.closed || endpoint.restingUntil > performance.now()) break
        // Another endpoint can already serve the cycle: do not hold the pin for this one.
        if (this.endpoints.some((e) => e !== endpoint && e.head !== null && e.status === 'active')) break
        await this.sleep(backoff(this.options.backoffBaseMs, attempt))
      }
    }
    return { status: 'down', head: null }
  }

  /**
   * Attempts per request (and per probe): 3 × (retries + 1) across the usable endpoints,
   * within the cycle's retry budget. At a 30% fault rate, one request fails 0.3^12 ≈ 5e-7.
   */
  private maxAttempts(): number {
    return 3 * (this.options.retries + 1)
  }

  private usable(): Endpoint[] {
    const now = performance.now()
    const active = this.endpoints.filter((e) => e.status === 'active' && e.restingUntil <= now)
    const rank = (e: Endpoint) => (e.failures >= DEMOTE_AFTER ? 1 : 0)
    return active.sort((a, b) => rank(a) - rank(b) || b.score - a.score)
  }

  /** A pause that ends early when the pool closes. */
  private sleep(ms: number): Promise<void> {
    return abortableSleep(ms, this.closing.signal)
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return
    this.warned.add(message)
    this.options.onWarn?.(message)
  }

  /**
   * RPC health since the last call (the cycle, plus any head polling before it in watch
   * mode, so every request is counted once), then starts the next count.
   */
  takeHealth(): RpcHealth {
    const health = summarizeHealth(this.endpoints)
    for (const endpoint of this.endpoints) endpoint.resetCounters()
    return health
  }
}

/**
 * A batch the endpoint could not take as one: an answer that is not one result per request
 * (viem then finds no answer for an item), an HTTP 4xx for the whole batch, "invalid request"
 * (-32600: our requests are well formed), or an error that says so. An item's own JSON-RPC error
 * (a revert, an unknown block) is that item's answer, not a refusal.
 */
function refusesBatches(error: unknown): boolean {
  if (error instanceof TypeError) return true
  const fault = (error as { fault?: Fault }).fault ?? classify(error)
  if (/batch/i.test(fault.message) || (error as { code?: number }).code === -32600) return true
  const status = (error as { status?: number }).status
  return fault.kind === 'malformed' || (status !== undefined && status >= 400 && status < 500 && status !== 429)
}

/** base × 2^round, capped, times a jitter in [0.5, 1.5). */
function backoff(baseMs: number, round: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** round) * (0.5 + Math.random())
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

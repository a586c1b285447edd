import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { CycleOutcome } from '../scan/run.ts'
import { STAGES } from '../scan/run.ts'

/**
 * The scanner's Prometheus metrics, through prom-client (the exposition format, label escaping
 * and histograms are its job, well tested). Fed once per cycle from the cycle's outcome: what
 * the artifacts say, nothing measured twice. Endpoint labels are the redacted host:port.
 */
export class ScanMetrics {
  readonly registry = new Registry()
  private readonly cycles = new Counter({ name: 'arby_cycles_total', help: 'Cycles written, by result (pinned or void).', labelNames: ['result'], registers: [this.registry] })
  private readonly cycleSeconds = new Histogram({ name: 'arby_cycle_duration_seconds', help: 'Wall time of a cycle, pin to artifacts.', buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry] })
  private readonly stageSeconds = new Histogram({ name: 'arby_stage_duration_seconds', help: 'Wall time of each stage of a cycle.', labelNames: ['stage'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry] })
  private readonly skipped = new Counter({ name: 'arby_blocks_skipped_total', help: 'Blocks that got no cycle of their own (a cycle was still busy).', registers: [this.registry] })
  private readonly pinned = new Gauge({ name: 'arby_pinned_block', help: 'The last cycle\'s pinned block.', registers: [this.registry] })
  private readonly pinnedAge = new Gauge({ name: 'arby_pinned_block_age_seconds', help: 'Age of the last pinned block (its timestamp to the end of the cycle).', registers: [this.registry] })
  private readonly quotes = new Counter({ name: 'arby_quotes_total', help: 'Quotes by quoter and result.', labelNames: ['quoter', 'result'], registers: [this.registry] })
  private readonly rejects = new Counter({ name: 'arby_rejects_total', help: 'Rejects by code (the closed list) and stage.', labelNames: ['code', 'stage'], registers: [this.registry] })
  private readonly opportunities = new Gauge({ name: 'arby_opportunities', help: 'Opportunities in the last cycle.', registers: [this.registry] })
  private readonly bestNet = new Gauge({ name: 'arby_best_net_profit_usd', help: 'Best net profit of the last cycle, USD (display value).', registers: [this.registry] })
  private readonly rpcRequests = new Counter({ name: 'arby_rpc_requests_total', help: 'RPC requests by endpoint (host:port).', labelNames: ['endpoint'], registers: [this.registry] })
  private readonly rpcErrors = new Counter({ name: 'arby_rpc_errors_total', help: 'RPC failures by endpoint and kind.', labelNames: ['endpoint', 'kind'], registers: [this.registry] })
  private readonly rpcLatency = new Gauge({ name: 'arby_rpc_latency_p95_seconds', help: 'p95 request latency of the last cycle, by endpoint.', labelNames: ['endpoint'], registers: [this.registry] })
  private readonly trades = new Counter({ name: 'arby_trades_total', help: 'Trades by final state in their cycle and reject code.', labelNames: ['state', 'code'], registers: [this.registry] })
  private readonly alerts = new Gauge({ name: 'arby_alerts', help: 'Alerts since the start, by result (sent, dropped by the rate limit, failed).', labelNames: ['result'], registers: [this.registry] })
  private readonly halted = new Gauge({ name: 'arby_kill_switch_halted', help: '1 while the kill switch is halted.', registers: [this.registry] })
  /** When the last cycle ended (epoch ms) and its pinned block's timestamp, for /healthz. */
  last: { endedMs: number; block: number; blockTimestamp: number | null } | null = null

  constructor({ processMetrics = true }: { processMetrics?: boolean } = {}) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'arby_' })
  }

  observe(outcome: CycleOutcome, nowMs = Date.now(), alerts?: { sent: number; dropped: number; failed: number }): void {
    if (alerts) for (const [result, n] of Object.entries(alerts)) this.alerts.set({ result }, n)
    const { truth, digest } = outcome.artifacts
    const pinnedCycle = truth.current_block > 0
    this.cycles.inc({ result: pinnedCycle ? 'pinned' : 'void' })
    this.cycleSeconds.observe(outcome.elapsedMs / 1000)
    for (const stage of STAGES) if (outcome.stages[stage] > 0) this.stageSeconds.observe({ stage }, outcome.stages[stage] / 1000)
    if (outcome.skippedBlocks) this.skipped.inc(outcome.skippedBlocks)
    if (pinnedCycle) {
      this.pinned.set(truth.current_block)
      if (digest.blockTimestamp !== null) this.pinnedAge.set(Math.max(0, nowMs / 1000 - digest.blockTimestamp))
    }
    for (const quote of digest.quotes) this.quotes.inc({ quoter: quote.quoter, result: quote.status }, quote.count)
    for (const reject of digest.rejects) this.rejects.inc({ code: reject.code, stage: reject.stage }, reject.count)
    this.opportunities.set(truth.stats.opportunities)
    this.bestNet.set(digest.opportunities.reduce((best, o) => Math.max(best, o.net_profit_usd ?? 0), 0))
    for (const endpoint of truth.health.rpc.endpoints) {
      this.rpcRequests.inc({ endpoint: endpoint.endpoint }, endpoint.requests)
      for (const [kind, n] of Object.entries(endpoint.errors)) if (n) this.rpcErrors.inc({ endpoint: endpoint.endpoint, kind }, n)
      this.rpcLatency.set({ endpoint: endpoint.endpoint }, endpoint.latency_p95_ms / 1000)
    }
    const trade = truth.execution?.trade
    if (trade) this.trades.inc({ state: trade.state, code: trade.code ?? '' })
    if (truth.execution?.kill) this.halted.set(truth.execution.kill.state === 'halted' ? 1 : 0)
    this.last = { endedMs: nowMs, block: truth.current_block, blockTimestamp: digest.blockTimestamp }
  }

  async text(): Promise<string> {
    return this.registry.metrics()
  }

  get contentType(): string {
    return this.registry.contentType
  }
}

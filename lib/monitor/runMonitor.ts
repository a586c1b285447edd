import type { Config } from '../config/resolve.ts'
import type { OpportunityLedger } from '../report/ledger.ts'
import type { CycleOutcome } from '../scan/run.ts'
import { AlertRules, AlertSender } from './alerts.ts'
import { dashboardHtml } from './dashboard.ts'
import { LiveState, type CycleView } from './live.ts'
import { ScanMetrics } from './metrics.ts'
import { startMonitor, type MonitorServer } from './server.ts'

/**
 * Everything that watches a run from outside its artifacts: the live state (terminal view,
 * dashboard), Prometheus metrics and the operator's port, alerts. Built before the run (a
 * missing alert secret is bad input at once), fed once per cycle, stopped at the end.
 */
export class RunMonitor {
  readonly live: LiveState
  private readonly metrics: ScanMetrics | null
  private readonly alerts: { rules: AlertRules; sender: AlertSender } | null
  private server: MonitorServer | null = null

  constructor(private readonly p: { config: Config; metricsPort?: number; env?: Record<string, string | undefined>; warn: (message: string) => void }) {
    // Looked up when shown: tokens a universe discovers join config.tokens after the start.
    this.live = new LiveState({ get: (symbol) => p.config.tokens.get(symbol)?.decimals })
    this.metrics = p.metricsPort === undefined ? null : new ScanMetrics()
    this.alerts = p.config.alerts ? { rules: new AlertRules(p.config.alerts), sender: new AlertSender(p.config.alerts, p.env ?? process.env, p.warn) } : null
  }

  /** Opens the operator's port (when asked for), the dashboard page bundled once; returns its URL. */
  async start(): Promise<string | null> {
    if (!this.metrics) return null
    const page = await dashboardHtml()
    this.server = startMonitor({ port: this.p.metricsPort!, metrics: this.metrics, live: this.live, dashboard: () => page })
    return this.server.url
  }

  observe(outcome: CycleOutcome, ledger: OpportunityLedger | null): CycleView {
    const view = this.live.add(outcome, ledger?.openSince())
    if (this.alerts) this.alerts.sender.send(this.alerts.rules.onCycle(outcome))
    this.metrics?.observe(outcome, Date.now(), this.alerts?.sender.counts)
    this.server?.publish()
    return view
  }

  async stop(): Promise<void> {
    await this.alerts?.sender.flush()
    this.server?.stop()
  }
}

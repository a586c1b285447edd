import { usdMicroOf, type Config } from '../config/resolve.ts'
import { InputError } from '../errors.ts'
import { redactText, redactUrl } from '../redact.ts'
import type { CycleOutcome } from '../scan/run.ts'
import { opportunityRoute } from '../scan/candidates.ts'

export type AlertEvent = 'opportunity' | 'void_streak' | 'endpoint_down' | 'kill_halt' | 'trade_settled'
export type Alert = { event: AlertEvent; key: string; title: string; text: string; data: Record<string, unknown> }

/**
 * What deserves an alert, decided per cycle with memory of what was already said: an
 * opportunity at or above `min_net_usd` once per route episode (the route must go away to
 * alert again), a streak of void cycles once, an endpoint going down once until it is back,
 * a kill-switch HALT once until it clears, each settled trade once.
 */
export class AlertRules {
  private readonly alertedRoutes = new Set<string>()
  private voidStreak = 0
  private readonly downEndpoints = new Set<string>()
  private halted = false
  private readonly minMicro: bigint

  constructor(private readonly rules: NonNullable<Config['alerts']>) {
    this.minMicro = usdMicroOf(rules.min_net_usd)
  }

  onCycle({ artifacts: { truth, snapshot } }: CycleOutcome): Alert[] {
    const alerts: Alert[] = []
    if (truth.current_block === 0) {
      this.voidStreak++
      if (this.voidStreak === this.rules.void_streak) {
        const reason = snapshot.rejects[0]?.message ?? 'no block could be pinned'
        alerts.push({ event: 'void_streak', key: `void:${truth.cycle}`, title: `${this.voidStreak} void cycles in a row`, text: `no block could be pinned for ${this.voidStreak} cycles: ${reason}`, data: { cycles: this.voidStreak, reason } })
      }
    } else {
      this.voidStreak = 0
      const standing = new Set<string>()
      for (const o of snapshot.opportunities) {
        const route = opportunityRoute(o)
        standing.add(route)
        const micro = o.net_profit_usd === null ? null : BigInt(Math.round(o.net_profit_usd * 1e6))
        if (micro === null || micro < this.minMicro || this.alertedRoutes.has(route)) continue
        this.alertedRoutes.add(route)
        alerts.push({
          event: 'opportunity', key: `opportunity:${route}:${truth.current_block}`,
          title: `${o.pair} ${o.buy.venue} → ${o.sell.venue}: $${o.net_profit_usd!.toFixed(2)} net`,
          text: `block ${truth.current_block}: buy ${o.size} base units on ${o.buy.venue}, sell on ${o.sell.venue}: net ${o.net_profit} ${o.quote} units ($${o.net_profit_usd!.toFixed(2)})${o.simulation ? `, simulation ${o.simulation.status}` : ''}`,
          data: { route, block: truth.current_block, size: o.size, net_profit: o.net_profit, quote: o.quote, net_profit_usd: o.net_profit_usd, id: o.id },
        })
      }
      // A route whose episode ended may alert again when it comes back.
      for (const route of [...this.alertedRoutes]) if (!standing.has(route)) this.alertedRoutes.delete(route)
    }
    for (const endpoint of truth.health.rpc.endpoints) {
      const down = endpoint.status === 'down'
      if (down && !this.downEndpoints.has(endpoint.endpoint)) {
        this.downEndpoints.add(endpoint.endpoint)
        alerts.push({ event: 'endpoint_down', key: `down:${endpoint.endpoint}:${truth.cycle}`, title: `endpoint down: ${endpoint.endpoint}`, text: `${endpoint.endpoint} is down (${endpoint.failed} of ${endpoint.requests} requests failed this cycle)`, data: { endpoint: endpoint.endpoint, errors: endpoint.errors } })
      } else if (!down) this.downEndpoints.delete(endpoint.endpoint)
    }
    const kill = truth.execution?.kill
    if (kill?.state === 'halted' && !this.halted) {
      alerts.push({ event: 'kill_halt', key: `halt:${kill.since ?? truth.cycle}`, title: 'KILL SWITCH HALTED', text: `execution halted${kill.since_block === null ? '' : ` at block ${kill.since_block}`}: ${kill.reason}`, data: { reason: kill.reason, since_block: kill.since_block } })
    }
    this.halted = kill?.state === 'halted'
    const trade = truth.execution?.trade
    if (trade?.state === 'SETTLED') {
      alerts.push({ event: 'trade_settled', key: `trade:${trade.id}`, title: `trade settled: ${trade.route}`, text: `${trade.id} ${trade.code ?? 'success'}: realized ${trade.realized_profit} (predicted ${trade.predicted_profit})${trade.tx_hash ? `, tx ${trade.tx_hash}` : ''}`, data: { ...trade } })
    }
    return alerts
  }
}

type Target = { name: string; url: string; body: (alert: Alert) => unknown }

/**
 * Delivery: every alert to every target (generic JSON, Discord, Telegram), at most
 * `max_per_minute` per minute (the rest dropped and counted), each POST bounded by a timeout;
 * a failed delivery is logged, never fatal. URLs carrying secrets are only ever shown redacted.
 */
export class AlertSender {
  private readonly targets: Target[]
  private readonly sentAt: number[] = []
  private readonly pending = new Set<Promise<void>>()
  readonly counts = { sent: 0, dropped: 0, failed: 0 }

  constructor(private readonly config: NonNullable<Config['alerts']>, env: Record<string, string | undefined>, private readonly onError: (message: string) => void, private readonly now: () => number = () => Date.now()) {
    this.targets = config.targets.map((target): Target => {
      const secret = (name: string) => {
        const value = env[name]?.trim()
        if (!value) throw new InputError('ALERT_SECRET_MISSING', `alerts target ${target.kind} needs ${name} in the environment`, { hint: `export ${name}=… (it is never read from the config)` })
        return value
      }
      if (target.kind === 'webhook') return { name: 'webhook', url: secret('ARBY_WEBHOOK_URL'), body: (alert) => ({ source: 'arby', ...alert }) }
      if (target.kind === 'discord') return { name: 'discord', url: secret('ARBY_DISCORD_WEBHOOK_URL'), body: (alert) => ({ content: `**${alert.title}**\n${alert.text}`.slice(0, 2000), allowed_mentions: { parse: [] } }) }
      return { name: 'telegram', url: `${target.api.replace(/\/$/, '')}/bot${secret('ARBY_TELEGRAM_BOT_TOKEN')}/sendMessage`, body: (alert) => ({ chat_id: target.chat_id, text: `${alert.title}\n${alert.text}`.slice(0, 4096), disable_web_page_preview: true }) }
    })
  }

  send(alerts: Alert[]): void {
    for (const alert of alerts) {
      const now = this.now()
      while (this.sentAt.length && this.sentAt[0]! <= now - 60_000) this.sentAt.shift()
      if (this.sentAt.length >= this.config.max_per_minute) {
        this.counts.dropped++
        continue
      }
      this.sentAt.push(now)
      for (const target of this.targets) {
        const delivery = this.post(target, alert).finally(() => this.pending.delete(delivery))
        this.pending.add(delivery)
      }
    }
  }

  private async post(target: Target, alert: Alert): Promise<void> {
    try {
      const response = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(target.body(alert)), signal: AbortSignal.timeout(5_000) })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      this.counts.sent++
    } catch (error) {
      this.counts.failed++
      this.onError(redactText(`alert ${alert.event} to ${target.name} (${redactUrl(target.url)}) failed: ${error instanceof Error ? error.message : String(error)}`))
    }
  }

  /** Waits (bounded) for deliveries in flight, at the end of a run. */
  async flush(timeoutMs = 3_000): Promise<void> {
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref?.())])
  }
}

import type { EndpointHealth, RpcHealth } from '../contract/truthReport.ts'
import type { Endpoint } from './endpoint.ts'

/** One endpoint's cycle, as the truth report shows it (URL redacted). */
export function endpointHealth(endpoint: Endpoint): EndpointHealth {
  const c = endpoint.counters
  const failed = Object.values(c.errors).reduce((a, b) => a + (b ?? 0), 0)
  return {
    endpoint: endpoint.label,
    status: endpoint.status,
    head: endpoint.head === null ? null : Number(endpoint.head),
    requests: c.requests,
    successful: c.ok,
    failed,
    errors: { ...c.errors },
    retries: c.retries,
    rate_limit_waits: c.rateLimitWaits,
    rate_limit_wait_ms: round(c.rateLimitWaitMs),
    latency_p50_ms: percentile(c.latencies, 0.5),
    latency_p95_ms: percentile(c.latencies, 0.95),
  }
}

/** The cycle's RPC health: totals over every attempt on every endpoint, and each endpoint. */
export function summarizeHealth(pool: Endpoint[]): RpcHealth {
  const endpoints = pool.map(endpointHealth)
  const latencies = pool.flatMap((e) => e.counters.latencies)
  const total = sum(endpoints.map((e) => e.requests))
  const ok = sum(endpoints.map((e) => e.successful))
  return {
    total_requests: total,
    successful_requests: ok,
    failed_requests: sum(endpoints.map((e) => e.failed)),
    timeout_requests: sum(endpoints.map((e) => e.errors.timeout ?? 0)),
    avg_latency_ms: latencies.length ? round(sum(latencies) / latencies.length) : 0,
    max_latency_ms: latencies.length ? round(Math.max(...latencies)) : 0,
    success_rate: total ? ok / total : null,
    endpoints_healthy: endpoints.filter((e) => e.status === 'active' && e.failed === 0 && e.requests > 0).length,
    endpoints_total: endpoints.length,
    endpoints,
  }
}

function percentile(values: number[], q: number): number {
  if (!values.length) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!)
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}

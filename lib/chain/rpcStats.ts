import type { RpcHealth } from '../contract/truthReport.ts'
import { redactUrl } from '../redact.ts'

type EndpointCounters = { label: string; requests: number; ok: number; failed: number; timeouts: number; latencies: number[] }

/**
 * Counts every HTTP round trip per endpoint (through an instrumented fetch), so the
 * truth report's RPC health is measured, not assumed. Reset per cycle.
 */
export class RpcStats {
  private endpoints: EndpointCounters[]

  constructor(urls: string[]) {
    this.endpoints = urls.map((url) => ({ label: redactUrl(url), requests: 0, ok: 0, failed: 0, timeouts: 0, latencies: [] }))
  }

  /** A fetch that records into endpoint `index`. */
  fetchFor(index: number): typeof fetch {
    const counters = this.endpoints[index]!
    const instrumented = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const started = performance.now()
      counters.requests++
      try {
        const response = await fetch(input, init)
        counters.latencies.push(performance.now() - started)
        if (response.ok) counters.ok++
        else counters.failed++
        return response
      } catch (error) {
        counters.latencies.push(performance.now() - started)
        counters.failed++
        if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) counters.timeouts++
        throw error
      }
    }
    return instrumented as typeof fetch
  }

  reset(): void {
    for (const counters of this.endpoints) Object.assign(counters, { requests: 0, ok: 0, failed: 0, timeouts: 0, latencies: [] })
  }

  health(): RpcHealth {
    const all = this.endpoints
    const total = sum(all.map((e) => e.requests))
    const ok = sum(all.map((e) => e.ok))
    const latencies = all.flatMap((e) => e.latencies)
    return {
      total_requests: total,
      successful_requests: ok,
      failed_requests: sum(all.map((e) => e.failed)),
      timeout_requests: sum(all.map((e) => e.timeouts)),
      avg_latency_ms: latencies.length ? round(sum(latencies) / latencies.length) : 0,
      max_latency_ms: latencies.length ? round(Math.max(...latencies)) : 0,
      success_rate: total ? ok / total : null,
      endpoints_healthy: all.filter((e) => e.ok > 0 && e.failed === 0).length,
      endpoints_total: all.length,
    }
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './cli.ts'

/** config/arbitrum.yaml with its rpc settings replaced, written to a temp file. */
export function configWithRpc(rpc: { endpoints?: string[]; alchemy_url_template?: string; timeout_ms?: number; retries?: number; backoff_base_ms?: number; rate_limit_rps?: number; burst?: number; throttle_loopback?: boolean; cycle_retry_budget_ms?: number }): string {
  const base = readFileSync(new URL('../../config/arbitrum.yaml', import.meta.url), 'utf8')
  const start = base.indexOf('rpc:\n')
  const end = base.indexOf('\ncontracts:')
  const lines = ['rpc:', '  endpoints:', ...(rpc.endpoints ?? ['https://arb1.arbitrum.io/rpc']).map((url) => `    - "${url}"`)]
  for (const [key, value] of Object.entries(rpc)) if (key !== 'endpoints') lines.push(`  ${key}: ${typeof value === 'string' ? `"${value}"` : value}`)
  const file = join(tempDir('arby-config-'), 'config.yaml')
  writeFileSync(file, `${base.slice(0, start)}${lines.join('\n')}\n${base.slice(end)}`)
  return file
}

import { InputError } from '../errors.ts'
import type { Config } from './resolve.ts'

/**
 * Upstream's environment overrides, applied on top of the config for a run:
 * ARBY_RPC_TIMEOUT (seconds), ARBY_RPC_RETRIES, ARBY_RPC_BACKOFF_MS,
 * ARBY_PRICE_SANITY_MAX_DEV (bps), ARBY_PRICE_SANITY_DISABLED (1/true).
 * (ARBY_RPC_URL(S) and ALCHEMY_API_KEY are endpoint sources, see resolveEndpoints.)
 */
export function applyEnvOverrides(config: Config, env: Record<string, string | undefined> = process.env): Config {
  const number = (name: string, min: number, max: number): number | undefined => {
    const raw = env[name]?.trim()
    if (!raw) return undefined
    const value = Number(raw)
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new InputError('ENV_INVALID', `${name}="${raw}" must be a number from ${min} to ${max}`, { hint: `unset ${name} or fix its value` })
    }
    return value
  }
  const timeout = number('ARBY_RPC_TIMEOUT', 0.1, 600)
  const retries = number('ARBY_RPC_RETRIES', 0, 20)
  const backoff = number('ARBY_RPC_BACKOFF_MS', 1, 60_000)
  const maxDev = number('ARBY_PRICE_SANITY_MAX_DEV', 0, 10_000)
  const disabled = /^(1|true|yes)$/i.test(env.ARBY_PRICE_SANITY_DISABLED?.trim() ?? '')
  return {
    ...config,
    rpc: {
      ...config.rpc,
      ...(timeout !== undefined && { timeout_ms: Math.round(timeout * 1000) }),
      ...(retries !== undefined && { retries: Math.round(retries) }),
      ...(backoff !== undefined && { backoff_base_ms: Math.round(backoff) }),
    },
    gates: {
      ...config.gates,
      // Disabled sanity still records every deviation; it just lets any price through.
      ...(maxDev !== undefined && { max_price_deviation_bps: maxDev }),
      ...(disabled && { max_price_deviation_bps: 10_000_000 }),
    },
  }
}

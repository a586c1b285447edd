import { describe, expect, test } from 'bun:test'
import { applyEnvOverrides } from '../../lib/config/env.ts'
import { loadConfig } from '../../lib/config/load.ts'

const config = loadConfig(new URL('../../config/real_minimal.yaml', import.meta.url).pathname)

describe('environment overrides (upstream names)', () => {
  test('default: no variables, no change', () => {
    expect(applyEnvOverrides(config, {})).toEqual(config)
  })

  test('behavior: RPC timeout (s), retries, backoff and sanity deviation override the config', () => {
    const out = applyEnvOverrides(config, { ARBY_RPC_TIMEOUT: '2.5', ARBY_RPC_RETRIES: '5', ARBY_RPC_BACKOFF_MS: '100', ARBY_PRICE_SANITY_MAX_DEV: '1000' })
    expect(out.rpc.timeout_ms).toBe(2500)
    expect(out.rpc.retries).toBe(5)
    expect(out.rpc.backoff_base_ms).toBe(100)
    expect(out.gates.max_price_deviation_bps).toBe(1000)
    expect(applyEnvOverrides(config, { ARBY_PRICE_SANITY_DISABLED: 'true' }).gates.max_price_deviation_bps).toBeGreaterThan(10_000)
  })

  test('error: a bad value names the variable (exit 2)', () => {
    expect(() => applyEnvOverrides(config, { ARBY_RPC_RETRIES: 'lots' })).toThrow('ARBY_RPC_RETRIES="lots" must be a number from 0 to 20')
  })
})

import { describe, expect, test } from 'bun:test'
import { resolveEndpoints } from '../../lib/chain/endpoints.ts'
import { loadConfig } from '../../lib/config/load.ts'

const config = loadConfig(new URL('../../config/arbitrum.yaml', import.meta.url).pathname)

describe('resolveEndpoints', () => {
  test('default: the config\'s public endpoints, no key needed', () => {
    expect(resolveEndpoints(config, { env: {} })).toEqual(config.rpc.endpoints)
  })

  test('behavior: ALCHEMY_API_KEY puts the expanded Alchemy URL first', () => {
    const urls = resolveEndpoints(config, { env: { ALCHEMY_API_KEY: 'abc123' } })
    expect(urls[0]).toBe('https://arb-mainnet.g.alchemy.com/v2/abc123')
    expect(urls.slice(1)).toEqual(config.rpc.endpoints)
  })

  test('behavior: ARBY_RPC_URLS overrides the config, --rpc overrides both', () => {
    const env = { ARBY_RPC_URLS: 'http://a.example, http://b.example', ALCHEMY_API_KEY: 'abc123' }
    expect(resolveEndpoints(config, { env })).toEqual(['http://a.example', 'http://b.example'])
    expect(resolveEndpoints(config, { env, flags: ['http://c.example'] })).toEqual(['http://c.example'])
  })

  test('error: a malformed URL is bad input (exit 2)', () => {
    expect(() => resolveEndpoints(config, { flags: ['ftp://x'] })).toThrow('--rpc: not an http(s) URL')
  })
})

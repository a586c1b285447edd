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

  test('behavior: ARBY_RPC_URL (one URL, the original\'s variable) goes first; the configured endpoints stay as fallbacks', () => {
    const urls = resolveEndpoints(config, { env: { ARBY_RPC_URL: 'http://mine.example:8547', ALCHEMY_API_KEY: 'abc123' } })
    expect(urls).toEqual(['http://mine.example:8547', 'https://arb-mainnet.g.alchemy.com/v2/abc123', ...config.rpc.endpoints])
  })

  test.each([
    ['ftp://x', 'must start with http:// or https://'],
    ['http://127.0.0.1:99999/', 'is not a valid URL'],
    ['http://host name/', 'must not contain spaces'],
    ['http:/x', 'is not a valid URL'],
  ])('error: %p is bad input (exit 2), the URL never echoed', (url, message) => {
    let error: unknown
    try {
      resolveEndpoints(config, { flags: [url] })
    } catch (caught) {
      error = caught
    }
    expect((error as { exitCode: number }).exitCode).toBe(2)
    expect((error as Error).message).toContain(message)
    expect((error as Error).message).not.toContain(url)
  })
})

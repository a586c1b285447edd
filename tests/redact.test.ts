import { describe, expect, test } from 'bun:test'
import { knownSecrets, redactText, redactUrl } from '../lib/redact.ts'

describe('redact', () => {
  test.each([
    ['https://arb-mainnet.g.alchemy.com/v2/abc123SECRET', 'https://arb-mainnet.g.alchemy.com/***'],
    ['https://arbitrum.infura.io/v3/SECRETkey99', 'https://arbitrum.infura.io/***'],
    ['https://rpc.example.org/?apikey=SECRET', 'https://rpc.example.org/***'],
    ['https://rpc.example.org?apikey=SECRET', 'https://rpc.example.org/***'],
    ['https://rpc.example.org/#SECRET', 'https://rpc.example.org/***'],
    ['https://user:pass@node.example:8545', 'https://node.example:8545/***'],
    ['https://user@node.example:8545', 'https://node.example:8545/***'],
    ['https://:pass@node.example', 'https://node.example/***'],
    ['wss://arb.example/ws/SECRET', 'wss://arb.example/***'],
    ['https://arb1.arbitrum.io/rpc', 'https://arb1.arbitrum.io/***'],
    ['http://127.0.0.1:8545', 'http://127.0.0.1:8545'],
    ['http://127.0.0.1:8545/', 'http://127.0.0.1:8545'],
    // Not parseable (port out of range): scheme and host:port kept, the rest masked.
    ['http://user:pw@node.example:99999/v2/KEY', 'http://node.example:99999/***'],
    ['http://node.example:99999', 'http://node.example:99999'],
    ['not a url', '<redacted-url>'],
  ])('behavior: %s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })

  test('behavior: URLs inside free text lose credentials, path and query, keep host:port and the prose around them', () => {
    const text = 'no endpoint answered (http://127.0.0.1:8545: down; https://x.io/v2/abc?key=SECRET1: timeout), see https://a.b/rpc.'
    expect(redactText(text, [])).toBe('no endpoint answered (http://127.0.0.1:8545: down; https://x.io/***: timeout), see https://a.b/***.')
  })

  test('behavior: known secret values are masked wherever they appear verbatim; short ones (< 6) are not (false positives)', () => {
    const text = 'HTTP request failed. URL: https://arb-mainnet.g.alchemy.com/v2/k3y4567 Details: k3y4567 rejected; id abc12'
    const out = redactText(text, ['k3y4567', 'abc12'])
    expect(out).toBe('HTTP request failed. URL: https://arb-mainnet.g.alchemy.com/*** Details: *** rejected; id abc12')
  })

  test('behavior: the secrets come from the environment variables that hold them, empty ones ignored', () => {
    expect(knownSecrets({ ALCHEMY_API_KEY: 'alchemyKEY1', ARBY_EXEC_PRIVATE_KEY: '0xabcdef1234', INFURA_API_KEY: '', OTHER: 'visible123' }).sort()).toEqual(['0xabcdef1234', 'alchemyKEY1'])
    expect(knownSecrets({})).toEqual([])
    expect(knownSecrets({ ALCHEMY_API_KEY: undefined })).toEqual([])
  })

  test('behavior: by default the process environment\'s secrets are masked', () => {
    process.env.ALCHEMY_API_KEY = 'envSecret999'
    try {
      expect(redactText('key envSecret999 leaked')).toBe('key *** leaked')
    } finally {
      delete process.env.ALCHEMY_API_KEY
    }
  })
})

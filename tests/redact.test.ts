import { describe, expect, test } from 'bun:test'
import { redactText, redactUrl } from '../lib/redact.ts'

describe('redact', () => {
  test.each([
    ['https://arb-mainnet.g.alchemy.com/v2/abc123SECRET', 'https://arb-mainnet.g.alchemy.com/***'],
    ['https://arbitrum.infura.io/v3/SECRETkey99', 'https://arbitrum.infura.io/***'],
    ['https://rpc.example.org/?apikey=SECRET', 'https://rpc.example.org/***'],
    ['https://user:pass@node.example:8545', 'https://node.example:8545/***'],
    ['wss://arb.example/ws/SECRET', 'wss://arb.example/***'],
    ['https://arb1.arbitrum.io/rpc', 'https://arb1.arbitrum.io/***'],
    ['http://127.0.0.1:8545', 'http://127.0.0.1:8545'],
  ])('behavior: %s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })

  test('behavior: URLs inside free text and known secret values are masked', () => {
    const text = 'HTTP request failed. URL: https://arb-mainnet.g.alchemy.com/v2/k3y4567 Details: k3y4567 rejected'
    const out = redactText(text, ['k3y4567'])
    expect(out).not.toContain('k3y4567')
    expect(out).toContain('https://arb-mainnet.g.alchemy.com/***')
  })
})

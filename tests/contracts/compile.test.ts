import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { compile, CONTRACTS } from '../../scripts/compile-contracts.ts'

describe('committed contract artifacts', () => {
  test.each(CONTRACTS.map((c) => [c.name, c] as const))('behavior: %s.json is what `npm run contracts:compile` produces, byte for byte', (_, contract) => {
    expect(compile(contract)).toBe(readFileSync(`${contract.dir}/${contract.name}.json`, 'utf8'))
  }, 60_000)
})

import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { artifactJsonSchemas } from '../../lib/contract/jsonSchema.ts'

describe('the published artifact contract', () => {
  test('behavior: the generated JSON Schemas equal the committed golden copy (a field rename must be deliberate: npm run schema:golden, then review)', () => {
    const golden = JSON.parse(readFileSync(new URL('./artifacts.schema.json', import.meta.url), 'utf8'))
    expect(JSON.parse(JSON.stringify(artifactJsonSchemas()))).toEqual(golden)
  })
})

/**
 * Writes the golden copy of the published artifact JSON Schemas (tests/contract/artifacts.schema.json).
 * A test compares the generated schemas with it: renaming a published field must be a
 * deliberate, reviewed change. Run: npm run schema:golden
 */
import { writeFileSync } from 'node:fs'
import { artifactJsonSchemas } from '../lib/contract/jsonSchema.ts'

const PATH = 'tests/contract/artifacts.schema.json'
writeFileSync(PATH, `${JSON.stringify(artifactJsonSchemas(), null, 2)}\n`)
console.error(`wrote ${PATH}: review the diff (git diff ${PATH}) before committing`)

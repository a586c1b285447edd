/**
 * Mutation testing of the pure core, area by area, each against the fast tests that guard it,
 * then one table of scores. Run: npm run mutate [-- math scan contract redact]
 * (Reports: data/mutation/<area>.json.)
 */
import { readFileSync } from 'node:fs'
import { runInherited } from '../lib/proc.ts'

const AREAS: Record<string, { mutate: string; tests: string }> = {
  math: { mutate: 'lib/math/**/*.ts', tests: 'tests/math/vectors.test.ts tests/math/tickMath.test.ts tests/math/unit.test.ts' },
  scan: { mutate: 'lib/scan/**/*.ts', tests: 'tests/scan' },
  contract: { mutate: 'lib/contract/**/*.ts', tests: 'tests/contract tests/scan' },
  redact: { mutate: 'lib/redact.ts', tests: 'tests/redact.test.ts' },
}
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(AREAS)
const rows: string[] = []
for (const area of chosen) {
  const spec = AREAS[area]
  if (!spec) throw new Error(`unknown area ${area} (${Object.keys(AREAS).join(', ')})`)
  const code = await runInherited([process.execPath, 'x', 'stryker', 'run', 'stryker.config.mjs'], {
    ...(process.env as Record<string, string>), ARBY_MUTATE_AREA: area, ARBY_MUTATE: spec.mutate, ARBY_MUTATE_TESTS: spec.tests,
  })
  if (code !== 0) throw new Error(`stryker failed on ${area} (exit ${code})`)
  const report = JSON.parse(readFileSync(`data/mutation/${area}.json`, 'utf8')) as { files: Record<string, { mutants: { status: string }[] }> }
  const statuses = Object.values(report.files).flatMap((file) => file.mutants.map((m) => m.status))
  const killed = statuses.filter((s) => s === 'Killed' || s === 'Timeout').length
  const valid = statuses.filter((s) => s !== 'CompileError' && s !== 'RuntimeError' && s !== 'Ignored').length
  rows.push(`| ${area} | ${spec.mutate} | ${valid} | ${killed} | ${((100 * killed) / valid).toFixed(1)}% |`)
}
console.log(['| area | files | mutants | killed | score |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'))

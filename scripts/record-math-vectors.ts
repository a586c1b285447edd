/**
 * Records real quoter answers for the pure math tests (tests/math/vectors.json): the fuzz
 * markets built on a devnet, their exact pool states, random swaps and what QuoterV2, the
 * Algebra QuoterV2 and Router02 answered at that block. tests/math/vectors.test.ts then checks
 * ARBY's math against them without a chain, in milliseconds (fast enough for mutation testing).
 * Run: npm run vectors:record [-- --n 400 --seed 7]
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startDevnet } from '../lib/devnet/startDevnet.ts'
import { buildAlgebraMarket, buildV3Market, clAnswers, clCases, readAlgebraMarket, readV3Market, v2Answers, v2Cases, v2Market } from '../tests/helpers/mathMarkets.ts'
import { mulberry32 } from '../tests/helpers/random.ts'
import { toAlgebraJson, toAnswerJson, toCaseJson, toV3Json, type MathVectors } from '../tests/helpers/vectors.ts'

const OUT = 'tests/math/vectors.json'
const { values } = parseArgs({ options: { n: { type: 'string', default: '400' }, seed: { type: 'string', default: '77' } } })
const n = Number(values.n)
const random = mulberry32(Number(values.seed))
const devnet = await startDevnet()
try {
  const v3 = await buildV3Market(devnet, random)
  const v3States = await readV3Market(devnet, v3)
  const v3Cases = clCases(random, n, v3.pools.length)
  const algebra = await buildAlgebraMarket(devnet, random)
  const algebraState = (await readAlgebraMarket(devnet, algebra)).get(algebra.pools[0]!.address)!
  const algebraCases = clCases(random, n, 1)
  const v2 = await v2Market(devnet)
  const pairCases = v2Cases(random, n, v2.pairs)
  const vectors: MathVectors = {
    note: `Real answers of Uniswap V3 QuoterV2, Algebra Integral QuoterV2 and Uniswap V2 Router02 on the devnet (seed ${values.seed}); regenerate with npm run vectors:record`,
    v3: { states: v3.pools.map((p) => toV3Json(v3States.get(p.address)!)), cases: v3Cases.map(toCaseJson), answers: (await clAnswers(devnet, 'v3', v3, v3Cases)).map(toAnswerJson) },
    algebra: { states: [toAlgebraJson(algebraState)], cases: algebraCases.map(toCaseJson), answers: (await clAnswers(devnet, 'algebra', algebra, algebraCases)).map(toAnswerJson) },
    v2: {
      reserves: v2.pairs.map((p) => [String(p.reserves.get(p.a)), String(p.reserves.get(p.b))]),
      cases: pairCases.map((c) => ({ ...c, amount: String(c.amount) })),
      answers: (await v2Answers(devnet, v2.pairs, v2.block, pairCases)).map((a) => (a === null ? null : String(a))),
    },
  }
  writeFileSync(OUT, `${JSON.stringify(vectors)}\n`)
  console.error(`math vectors: ${n} swaps per family -> ${OUT}`)
} finally {
  await devnet.stop()
}

import { afterAll } from 'bun:test'
import { removeTempDirs } from './helpers/cli.ts'

// Runs before every test file: no secrets or RPC overrides from the developer's shell,
// no colors, quiet logs.
for (const name of ['ARBY_RPC_URLS', 'ARBY_RPC_URL', 'ALCHEMY_API_KEY', 'INFURA_API_KEY', 'ARBY_PRIVATE_KEY', 'ARBY_EXEC_PRIVATE_KEY', 'ARBY_DEBUG', 'ARBY_RPC_TIMEOUT', 'ARBY_RPC_RETRIES', 'ARBY_RPC_BACKOFF_MS', 'ARBY_PRICE_SANITY_MAX_DEV', 'ARBY_PRICE_SANITY_DISABLED']) {
  delete process.env[name]
}
process.env.NO_COLOR = '1'
process.env.CONSOLA_LEVEL = '1'

// Every temp directory a test file made is removed when it ends (one held a 105 MB binary).
afterAll(removeTempDirs)

// The shipped configs and the smoke fixture, bundled into the binary so that `arby scan`
// works from any directory. An explicit --config always reads the file on disk.
import arbitrumYaml from '../../config/arbitrum.yaml' with { type: 'text' }
import smokeYaml from '../../config/smoke.yaml' with { type: 'text' }
import smokeFixture from '../../config/fixtures/smoke_quotes.json'

export const EMBEDDED_CONFIGS: Record<string, string> = {
  'config/arbitrum.yaml': arbitrumYaml,
  'config/smoke.yaml': smokeYaml,
}

export const EMBEDDED_FIXTURES: Record<string, unknown> = {
  'config/fixtures/smoke_quotes.json': smokeFixture,
}

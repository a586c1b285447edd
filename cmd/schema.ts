import { defineCommand } from 'citty'
import { runCli } from '../lib/cli/runCli.ts'
import { withExitCode } from '../lib/cli/errors.ts'
import { artifactJsonSchemas } from '../lib/contract/jsonSchema.ts'
import { ARTIFACT_NAMES } from '../lib/contract/artifacts.ts'
import { InputError } from '../lib/errors.ts'

const command = defineCommand({
  meta: { name: 'schema', description: 'Print the JSON Schema (draft-07) of the artifacts, generated from the same valibot schemas the CLI writes with.' },
  args: {
    artifact: { type: 'positional', required: false, description: `One of ${ARTIFACT_NAMES.join(', ')}; all when omitted.` },
  },
  run: ({ args }) => withExitCode(async () => {
    const all = artifactJsonSchemas()
    if (args.artifact && !(args.artifact in all)) {
      throw new InputError('SCHEMA_UNKNOWN', `no artifact named "${args.artifact}"`, { hint: `choose one of ${ARTIFACT_NAMES.join(', ')}` })
    }
    const out = args.artifact ? all[args.artifact as keyof typeof all] : all
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  }),
})

export default command

// `bun run cmd/schema.ts …` runs this command alone.
if (import.meta.main) await runCli(command)

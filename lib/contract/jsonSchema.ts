import { toJsonSchema } from '@valibot/to-json-schema'
import { ARTIFACT_SCHEMAS, type ArtifactName } from './artifacts.ts'

/** JSON Schema (draft-07) of each artifact, from the very schemas the CLI validates with. */
export function artifactJsonSchemas(): Record<ArtifactName, object> {
  return Object.fromEntries(
    Object.entries(ARTIFACT_SCHEMAS).map(([name, schema]) => [name, { title: name, ...toJsonSchema(schema, { errorMode: 'throw', typeMode: 'output' }) }]),
  ) as Record<ArtifactName, object>
}

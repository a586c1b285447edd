import { toJsonSchema } from '@valibot/to-json-schema'
import { ARTIFACT_SCHEMAS, type ArtifactName } from './artifacts.ts'

/**
 * JSON Schema (draft-07) of each artifact, from the very schemas the CLI validates with.
 * Cross-item rules JSON Schema cannot state (ids unique by a key) are written into the
 * description: the CLI enforces them when it writes.
 */
export function artifactJsonSchemas(): Record<ArtifactName, object> {
  return Object.fromEntries(
    Object.entries(ARTIFACT_SCHEMAS).map(([name, schema]) => [name, {
      title: name,
      ...toJsonSchema(schema, {
        errorMode: 'throw',
        typeMode: 'output',
        overrideAction: ({ valibotAction, jsonSchema }) => valibotAction.type === 'check'
          ? { ...jsonSchema, description: [jsonSchema.description, String((valibotAction as { message?: unknown }).message)].filter(Boolean).join('; ') }
          : undefined,
      }),
    }]),
  ) as Record<ArtifactName, object>
}

import { existsSync, readFileSync } from 'node:fs'
import * as v from 'valibot'
import { InputError } from '../errors.ts'
import { dotPath, locate, locateKey, parseYaml, type YamlSource } from './locate.ts'
import { resolveConfig, type Config } from './resolve.ts'
import { ConfigSchema } from './schema.ts'
import { EMBEDDED_CONFIGS } from './defaults.ts'

export const DEFAULT_CONFIG_PATH = 'config/arbitrum.yaml'

/** One problem in a config file, pinned to its YAML position. */
export type ConfigIssue = { path: string; position: string; message: string }

export class ConfigError extends InputError {
  override name = 'ConfigError'
  readonly issues: ConfigIssue[]
  constructor(file: string, issues: ConfigIssue[]) {
    const first = issues[0]
    super(
      'CONFIG_INVALID',
      first ? `${file}:${first.position} ${first.path}: ${first.message}` : `${file}: invalid config`,
      {
        hint: `fix the key(s) above, then run \`arby config check --config ${file}\``,
        details: issues.slice(1).map((issue) => `${file}:${issue.position} ${issue.path}: ${issue.message}`),
      },
    )
    this.issues = issues
  }
}

/** Reads, parses and validates a config file; every failure is a ConfigError (exit 2). */
export function loadConfig(path: string = DEFAULT_CONFIG_PATH): Config {
  let text: string
  // A shipped config missing on disk (the compiled binary run elsewhere) comes from the bundle.
  if (!existsSync(path) && EMBEDDED_CONFIGS[path] !== undefined) return parseConfigText(path, EMBEDDED_CONFIGS[path])
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new InputError('CONFIG_NOT_FOUND', `cannot read config file ${path}`, {
      hint: 'pass an existing YAML file with --config (see config/ for examples)',
      cause: error,
    })
  }
  return parseConfigText(path, text)
}

export function parseConfigText(path: string, text: string): Config {
  const source = parseYaml(path, text)
  const syntax = source.doc.errors[0]
  if (syntax) {
    const pos = syntax.linePos?.[0]
    const position = pos ? `${pos.line}:${pos.col}` : '1:1'
    throw new ConfigError(path, [{ path: '(yaml)', position, message: syntax.message.split('\n')[0] ?? 'YAML syntax error' }])
  }
  const parsed = v.safeParse(ConfigSchema, source.doc.toJS())
  if (!parsed.success) throw new ConfigError(path, parsed.issues.map((issue) => toConfigIssue(source, issue)))
  return resolveConfig(parsed.output, (keys, message) => {
    throw new ConfigError(path, [{ path: dotPath(keys), position: locate(source, keys), message }])
  }, path)
}

function toConfigIssue(source: YamlSource, issue: v.BaseIssue<unknown>): ConfigIssue {
  const keys = (issue.path ?? []).map((item) => item.key as string | number)
  // An unknown key is reported on the object; point at the key itself.
  if (issue.kind === 'schema' && issue.expected === 'never' && issue.path) {
    return { path: dotPath(keys), position: locateKey(source, keys), message: 'unknown key (typo?)' }
  }
  const missing = issue.kind === 'schema' && issue.input === undefined
  return { path: dotPath(keys), position: locate(source, keys), message: missing ? `missing required key (${issue.expected})` : issue.message }
}

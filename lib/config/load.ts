import { readFileSync, statSync } from 'node:fs'
import * as v from 'valibot'
import { InputError } from '../errors.ts'
import { arbyCommand } from '../invocation.ts'
import { excerpt, oneLine } from '../text.ts'
import { EMBEDDED_CONFIGS } from './defaults.ts'
import { dotPath, duplicateKey, locate, locateKey, parseYaml, type YamlSource } from './locate.ts'
import { resolveConfig, type Config } from './resolve.ts'
import { isLegacyConfig, LegacyConfig, translateLegacy } from './legacy.ts'
import { ConfigSchema } from './schema.ts'

export const DEFAULT_CONFIG_PATH = 'config/arbitrum.yaml'
/** Configs are trust anchors and a few settings: a few KB. Anything this big is not one. */
export const MAX_CONFIG_BYTES = 256 * 1024

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
        hint: `fix the key(s) above, then run \`${arbyCommand()} config check --config ${file}\``,
        details: issues.slice(1, 10).map((issue) => `${file}:${issue.position} ${issue.path}: ${issue.message}`),
      },
    )
    this.issues = issues
  }
}

/** Reads, parses and validates a config file; every failure is an InputError (exit 2). */
export function loadConfig(path: string = DEFAULT_CONFIG_PATH): Config {
  const embedded = EMBEDDED_CONFIGS[path]
  // A shipped config missing on disk (the compiled binary run elsewhere) comes from the bundle.
  if (embedded !== undefined && !exists(path)) return parseConfigText(path, embedded)
  return parseConfigText(path, readConfigFile(path))
}

/**
 * The file's text, after checking it is a regular, readable, small text file: `/dev/zero`, a
 * directory, a 50 MB file or a binary are answered at once with what is wrong.
 */
export function readConfigFile(path: string, what = 'config file'): string {
  const hint = `pass an existing YAML file with --config (see config/ for examples)`
  let size: number
  try {
    const stat = statSync(path)
    if (!stat.isFile()) throw new InputError('CONFIG_NOT_A_FILE', `${what} ${path} is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}`, { hint })
    size = stat.size
  } catch (error) {
    if (error instanceof InputError) throw error
    throw fileError(path, what, error, hint)
  }
  if (size > MAX_CONFIG_BYTES) {
    throw new InputError('CONFIG_TOO_LARGE', `${what} ${path} is ${size} bytes; configs are at most ${MAX_CONFIG_BYTES} bytes`, { hint })
  }
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    throw fileError(path, what, error, hint)
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  if (bytes.includes(0) || text.includes('\uFFFD')) {
    throw new InputError('CONFIG_NOT_TEXT', `${what} ${path} is not UTF-8 text (starts ${excerpt(text, 40)})`, { hint })
  }
  return text
}

function fileError(path: string, what: string, error: unknown, hint: string): InputError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputError('CONFIG_NOT_FOUND', `${what} ${path} does not exist`, { hint })
  if (code === 'EACCES' || code === 'EPERM') return new InputError('CONFIG_UNREADABLE', `${what} ${path}: permission denied`, { hint: `make it readable (chmod +r ${path}) or pass another file with --config` })
  return new InputError('CONFIG_UNREADABLE', `cannot read ${what} ${path} (${code ?? 'error'})`, { hint })
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

export function parseConfigText(path: string, text: string): Config {
  const source = parseYaml(path, text)
  const fail = (keys: (string | number)[], message: string): never => {
    throw new ConfigError(path, [{ path: dotPath(keys), position: locate(source, keys), message }])
  }
  let data = yamlData(source)
  let notes: string[] = []
  if (isLegacyConfig(data)) {
    // The original arbybot's flat format: checked as that format, then translated.
    const legacy = v.safeParse(LegacyConfig, data)
    if (!legacy.success) throw new ConfigError(path, legacy.issues.slice(0, 10).map((issue) => toConfigIssue(source, issue)))
    ;({ config: data, notes } = translateLegacy(legacy.output, fail))
  }
  const parsed = v.safeParse(ConfigSchema, data)
  if (!parsed.success) {
    const issues = parsed.issues.slice(0, 10).map((issue) => toConfigIssue(source, issue))
    throw new ConfigError(path, notes.length ? issues.map((issue) => ({ ...issue, message: `${issue.message} (in the translation of the original format)` })) : issues)
  }
  return { ...resolveConfig(parsed.output, fail, path), notes }
}

/**
 * The document as plain data, or a ConfigError: syntax errors, duplicate keys, and documents
 * built to exhaust the parser (alias bombs, absurd nesting) all land on one line:col.
 */
export function yamlData(source: YamlSource): unknown {
  const syntax = source.doc.errors[0]
  if (syntax) {
    const pos = syntax.linePos?.[0]
    throw new ConfigError(source.path, [{ path: '(yaml)', position: pos ? `${pos.line}:${pos.col}` : '1:1', message: oneLine(syntax.message) || 'YAML syntax error' }])
  }
  const duplicate = duplicateKey(source)
  if (duplicate) throw new ConfigError(source.path, [{ path: duplicate.path, position: duplicate.position, message: 'key appears twice in the same mapping' }])
  try {
    return source.doc.toJS({ maxAliasCount: 50 })
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error)
    throw new ConfigError(source.path, [{ path: '(yaml)', position: '1:1', message: /alias/i.test(message) ? 'too many alias expansions (a YAML alias bomb?)' : `cannot be read: ${oneLine(message, 80)}` }])
  }
}

function toConfigIssue(source: YamlSource, issue: v.BaseIssue<unknown>): ConfigIssue {
  const keys = (issue.path ?? []).map((item) => item.key as string | number)
  // An unknown key is reported on the object; point at the key itself.
  if (issue.kind === 'schema' && issue.expected === 'never' && issue.path) {
    return { path: dotPath(keys), position: locateKey(source, keys), message: 'unknown key (typo?)' }
  }
  const missing = issue.kind === 'schema' && issue.input === undefined
  return { path: dotPath(keys), position: locate(source, keys), message: missing ? `missing required key (${issue.expected})` : oneLine(issue.message) }
}

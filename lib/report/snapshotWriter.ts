import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { ContractError } from '../errors.ts'
import { redactText } from '../redact.ts'
import { check, schemaViolation, type SnapshotParts } from './build.ts'
import { fsError, removeQuietly } from './outputDir.ts'

/** Entries checked and serialized between two yields to the event loop (~10 ms at 1,000 pools). */
const SLICE = 500
/** Time spent building the lists' pieces before yielding. */
const PREPARE_MS = 8

/**
 * Writes a snapshot a slice at a time, yielding to the event loop between slices: at a thousand
 * pools the snapshot is ~44 MB and takes a second to check and serialize whole, longer than
 * four blocks; written this way the next block's cycle waits for one slice at most. The text is
 * exactly `JSON.stringify(snapshot, null, 2)` (what `writeJsonAtomic` writes), redacted, and the
 * file appears whole or not at all (a temp file, renamed). Every entry is checked against its
 * schema and the head against the snapshot's: a violation is the same contract error as the
 * whole snapshot's check, and nothing is left behind.
 */
export async function writeSnapshotSliced(path: string, parts: SnapshotParts, yieldNow: () => Promise<void> = nextTick): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`
  unfinished(temp)
  const placeholder = (key: string) => `\u0000${key}\u0000`
  const head = JSON.stringify({ ...parts.head, ...Object.fromEntries(parts.lists.map((list) => [list.key, placeholder(list.key)])) }, null, 2)
  const append = (text: string) => appendFileSync(temp, redactText(text))
  try {
    // The lists' pieces first (each pair's spreads and rejects), a few milliseconds at a time.
    let since = performance.now()
    for (const step of parts.prepare) {
      step()
      if (performance.now() - since > PREPARE_MS) {
        await yieldNow()
        since = performance.now()
      }
    }
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(temp, '')
    let rest = head
    for (const list of parts.lists) {
      const marker = JSON.stringify(placeholder(list.key))
      const at = rest.indexOf(marker)
      append(rest.slice(0, at))
      rest = rest.slice(at + marker.length)
      const rows = list.rows()
      if (!rows.length) {
        append('[]')
        continue
      }
      append('[\n')
      const seen = new Set<string>()
      for (let from = 0; from < rows.length; from += SLICE) {
        await yieldNow()
        const texts: string[] = []
        for (let i = from; i < Math.min(from + SLICE, rows.length); i++) {
          const entry = check(list.schema, list.entry(rows[i] as never, i) as never, 'scan snapshot', `${list.key}.${i}`)
          if (list.unique) {
            const key = list.unique.key(entry as never)
            if (seen.has(key)) throw schemaViolation('scan snapshot', [`${list.key}: ${list.unique.what} must be unique`])
            seen.add(key)
          }
          texts.push(`    ${JSON.stringify(entry, null, 2).replaceAll('\n', '\n    ')}`)
        }
        append(`${texts.join(',\n')}${from + SLICE < rows.length ? ',\n' : '\n  ]'}`)
      }
    }
    append(`${rest}\n`)
    renameSync(temp, path)
  } catch (error) {
    removeQuietly(temp)
    throw error instanceof ContractError ? error : fsError(error, path)
  } finally {
    writing.delete(temp)
  }
}

/**
 * Temp files of writes in progress, removed if the process exits before they finish (a stop's
 * hard deadline can fall between two slices): a snapshot is whole or absent, never half a file.
 */
const writing = new Set<string>()
function unfinished(temp: string): void {
  if (writing.size === 0 && !exitHooked) {
    exitHooked = true
    process.once('exit', () => { for (const path of writing) removeQuietly(path) })
  }
  writing.add(temp)
}
let exitHooked = false

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

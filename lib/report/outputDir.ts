import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { InfraError, InputError, type ArbyError } from '../errors.ts'

const LOCK = '.arby.lock'
/** Temp files are `<artifact>.tmp-<pid>`; a run that was killed leaves its own behind. */
const TEMP = /\.tmp-(\d+)$/

/**
 * A filesystem failure as the user's or the machine's problem, never "a bug": a bad path or
 * missing permission is bad input (exit 2), a full or read-only disk is infrastructure (exit 3).
 */
export function fsError(error: unknown, what: string): ArbyError {
  const code = sqliteErrno((error as NodeJS.ErrnoException).code, what) ?? (error as NodeJS.ErrnoException).code ?? 'EIO'
  const reason: Record<string, string> = {
    ENOTDIR: 'a part of the path is a file, not a directory',
    EEXIST: 'the path exists and is not a directory',
    EISDIR: 'the path is a directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENAMETOOLONG: 'the path is too long',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'the filesystem is read-only',
    EIO: 'input/output error',
  }
  const message = `cannot write ${what}: ${reason[code] ?? code}`
  if (['ENOSPC', 'EDQUOT', 'EROFS', 'EIO'].includes(code)) {
    return new InfraError('OUTPUT_WRITE_FAILED', message, { hint: 'free space or pick a writable disk with --output-dir', cause: error })
  }
  return new InputError('OUTPUT_DIR_INVALID', message, { hint: 'pass a writable directory with --output-dir', cause: error })
}

/**
 * SQLite's result codes as the errno they stand for (its files fail like any other). Its write
 * errors on a full disk come as I/O errors: the filesystem's free space tells which it was.
 */
function sqliteErrno(code: string | undefined, path: string): string | undefined {
  if (!code?.startsWith('SQLITE_')) return undefined
  if (code.startsWith('SQLITE_FULL')) return 'ENOSPC'
  if (code.startsWith('SQLITE_READONLY')) return 'EROFS'
  if (code.startsWith('SQLITE_CANTOPEN')) return 'EACCES'
  if (code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) return 'EPERM'
  try {
    if (statfsSync(dirname(path)).bavail === 0) return 'ENOSPC'
  } catch {
    // no filesystem to ask
  }
  return 'EIO'
}

/**
 * Makes the output directory ready for one run: creates it, takes its lock (a second ARBY
 * writing into the same directory is refused: two runs would interleave one scan.log and
 * overwrite each other's artifacts) and removes temp files left by killed runs. Returns
 * the release.
 */
export function claimOutputDir(dir: string, pidAlive: (pid: number) => boolean = isAlive): () => void {
  try {
    mkdirSync(dir, { recursive: true })
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' })
  } catch (error) {
    throw fsError(error, `to ${dir}`)
  }
  const lock = join(dir, LOCK)
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, 'wx')
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw fsError(error, `the lock in ${dir}`)
      const holder = Number(readText(lock).trim())
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && pidAlive(holder)) {
        throw new InputError('OUTPUT_DIR_BUSY', `another ARBY run (pid ${holder}) is writing to ${dir}`, {
          hint: 'give this run its own --output-dir, or wait for the other to finish',
        })
      }
      rmSync(lock, { force: true }) // left by a run that is gone
    }
  }
  removeStaleTemps(dir, pidAlive)
  let released = false
  const release = () => {
    if (released) return
    released = true
    rmSync(lock, { force: true })
  }
  process.once('exit', release)
  return release
}

function removeStaleTemps(dir: string, pidAlive: (pid: number) => boolean): void {
  for (const sub of ['snapshots', 'reports', '.']) {
    let names: string[]
    try {
      names = readdirSync(join(dir, sub))
    } catch {
      continue
    }
    for (const name of names) {
      const pid = Number(TEMP.exec(name)?.[1])
      if (pid && (pid === process.pid || !pidAlive(pid))) rmSync(join(dir, sub, name), { force: true })
    }
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes a file, ignoring that it may already be gone. */
export function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // gone already
  }
}

/**
 * A run's finished truth reports (file names under `<dir>/reports`, oldest first): a report
 * being written is a temp file renamed when whole, and is never listed (a reader of a live run
 * would otherwise open a name that is gone a moment later).
 */
export function truthReportFiles(dir: string): string[] {
  const reports = join(dir, 'reports')
  let names: string[]
  try {
    names = readdirSync(reports)
  } catch {
    return []
  }
  return names.filter((name) => name.startsWith('truth_report_') && name.endsWith('.json')).sort()
}

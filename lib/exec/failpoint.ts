/**
 * Crash points for the crash-safety tests: `ARBY_EXEC_FAILPOINT=signed` makes the process
 * SIGKILL itself right after the named step, exactly where a power cut could land. Unset in
 * normal runs (the check is one string lookup).
 */
export const FAILPOINTS = ['detected', 'simulated', 'signed', 'sent', 'submitted', 'mined', 'included', 'settled'] as const
export type Failpoint = (typeof FAILPOINTS)[number]

export function failpoint(name: Failpoint, env: Record<string, string | undefined> = process.env): void {
  const wanted = env.ARBY_EXEC_FAILPOINT
  if (wanted && wanted.split(',').includes(name)) process.kill(process.pid, 'SIGKILL')
}

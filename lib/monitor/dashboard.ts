/** The dashboard page (built in a later step); a placeholder keeps the route answering. */
export function dashboardPage(): string {
  return '<!doctype html><title>ARBY</title><p>dashboard</p>'
}

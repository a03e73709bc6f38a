/*
 * The benchmark's targets and verdicts, as one pure function over measured figures
 * (bench/run.ts measures, this file judges, tests/unit/bench/gates.spec.ts checks it with
 * hand-worked figures). Nothing here starts a server or reads a clock.
 *
 * Rules (bench/README.md says the same):
 * - every scenario is loaded at 20 and at 50 connections (LOAD_CONNECTIONS);
 * - a target that names a connection count is judged at that count (`p99At`, `ratioAt`);
 *   a ratio that names none is judged on the 50-connection run (RATIO_AT);
 * - every signed-in page that is not its realm's shell must reach at least half of its
 *   shell's req/s (resident: /konto, staff: /panel, judged at 50) and have p99 < 100 ms at
 *   20 connections, unless its own target sets a p99 at 20 (the issue's stricter figure);
 * - every run of every scenario must answer only the expected statuses, without errors.
 * `--check` makes a FAIL the exit status (1); without it the bench exits 0 once it printed.
 */

export type Realm = 'resident' | 'staff'

export interface BenchTarget {
  /** Minimum share of bare node:http req/s measured in the same run (0.4 = 40 %). */
  minRatio?: number
  /** Connection count the ratio is judged at; RATIO_AT when omitted. */
  ratioAt?: number
  /** p99 latency must be strictly below this, in milliseconds. */
  maxP99Ms?: number
  /** Connection count the p99 is judged at (required with maxP99Ms). */
  p99At?: number
}

/** One autocannon run of a scenario at one connection count. */
export interface RunFigures {
  connections: number
  reqPerSec: number
  p99Ms: number
  /** Responses received. */
  requests: number
  /** Unexpected statuses plus socket errors and timeouts. */
  bad: number
}

export interface ScenarioFigures {
  name: string
  /** Signed-in realm of the page; anonymous pages have none. */
  realm?: Realm
  /** The realm's shell page, the yardstick of its other pages. */
  shell?: boolean
  target?: BenchTarget
  /** What counts as a good response, for the printed target ("all 2xx"). */
  expect?: string
  runs: RunFigures[]
}

export interface FeesFigures {
  asOf: string
  taxpayers: number
  allLedgersFirstMs: number
  searchP99Ms: number
}

export interface ApplianceFigures {
  sizeGiB: number
  unchangedBackupMs: number
  drillMs: number
  drillProblems: number
  dbSwitchMs: number
  taxpayers: number
}

export interface Figures {
  /** Bare node:http req/s per connection count (the mean of the runs before and after the app). */
  bareReqPerSec: Record<number, number>
  scenarios: ScenarioFigures[]
  coldStartMs: number
  rssMb: number
  fees?: FeesFigures | null
  appliance?: ApplianceFigures | null
}

export interface TargetResult {
  name: string
  target: string
  value: string
  pass: boolean
  /** The scenario and the run the target was judged on, for the table's verdict column. */
  scenario?: string
  connections?: number
}

export const LOAD_CONNECTIONS = [20, 50] as const
export const RATIO_AT = 50
/** The project's rule for signed-in pages (unless the issue sets a stricter one). */
export const SIGNED_IN = { minShellRatio: 0.5, maxP99Ms: 100, p99At: 20 } as const
export const LIMITS = {
  coldStartMs: 1500,
  rssMb: 200,
  allLedgersMs: 1500,
  searchP99Ms: 30,
  unchangedBackupMs: 15_000,
  drillMs: 60_000,
  dbSwitchMs: 60_000,
} as const

export function pct(value: number) {
  return `${(value * 100).toFixed(1)} %`
}

export function fmtMs(value: number) {
  return value.toFixed(value < 10 ? 1 : 0)
}

export function fmtInt(value: number) {
  return Math.round(value).toLocaleString('en-US')
}

export function runAt(scenario: ScenarioFigures, connections: number) {
  return scenario.runs.find((run) => run.connections === connections)
}

/** req/s of a scenario divided by bare node:http req/s at the same connection count. */
export function bareRatio(figures: Figures, scenario: ScenarioFigures, connections: number) {
  const run = runAt(scenario, connections)
  const bare = figures.bareReqPerSec[connections]
  if (!run || !bare || bare <= 0) return null
  return run.reqPerSec / bare
}

/** The realm's shell among the measured scenarios (the first one marked `shell`). */
export function shellOf(figures: Figures, realm: Realm) {
  return figures.scenarios.find((s) => s.shell && s.realm === realm)
}

/** req/s of a signed-in page divided by its realm shell's, at one connection count. */
export function shellRatio(figures: Figures, scenario: ScenarioFigures, connections: number) {
  if (!scenario.realm || scenario.shell) return null
  const shell = shellOf(figures, scenario.realm)
  const mine = runAt(scenario, connections)
  const theirs = shell && runAt(shell, connections)
  if (!mine || !theirs || theirs.reqPerSec <= 0) return null
  return mine.reqPerSec / theirs.reqPerSec
}

function missing(name: string, target: string, scenario: string, connections: number) {
  return { name, target, value: 'not measured', pass: false, scenario, connections }
}

function ratioResult(
  name: string,
  min: number,
  ratio: number | null,
  scenario: string,
  connections: number
): TargetResult {
  const wanted = `≥ ${pct(min)}`
  if (ratio === null) return missing(name, wanted, scenario, connections)
  return { name, target: wanted, value: pct(ratio), pass: ratio >= min, scenario, connections }
}

function scenarioTargets(figures: Figures, s: ScenarioFigures): TargetResult[] {
  const results: TargetResult[] = []
  const scenario = s.name
  const target = s.target ?? {}
  if (target.minRatio !== undefined) {
    const at = target.ratioAt ?? RATIO_AT
    const name = `${s.name} req/s vs bare node:http, ${at} conn.`
    results.push(ratioResult(name, target.minRatio, bareRatio(figures, s, at), scenario, at))
  }
  const p99Targets: Array<{ ms: number; at: number }> = []
  if (target.maxP99Ms !== undefined)
    p99Targets.push({ ms: target.maxP99Ms, at: target.p99At ?? SIGNED_IN.p99At })
  if (s.realm && !p99Targets.some((t) => t.at === SIGNED_IN.p99At))
    p99Targets.push({ ms: SIGNED_IN.maxP99Ms, at: SIGNED_IN.p99At })
  for (const { ms, at } of p99Targets) {
    const name = `${s.name} p99, ${at} conn.`
    const run = runAt(s, at)
    if (!run) results.push(missing(name, `< ${ms} ms`, scenario, at))
    else
      results.push({
        name,
        target: `< ${ms} ms`,
        value: `${fmtMs(run.p99Ms)} ms`,
        pass: run.p99Ms < ms,
        scenario,
        connections: at,
      })
  }
  if (s.realm && !s.shell) {
    const shell = shellOf(figures, s.realm)
    const name = `${s.name} req/s vs ${s.realm} shell${shell ? ` (${shell.name})` : ''}, ${RATIO_AT} conn.`
    const ratio = shellRatio(figures, s, RATIO_AT)
    results.push(ratioResult(name, SIGNED_IN.minShellRatio, ratio, scenario, RATIO_AT))
  }
  for (const run of s.runs)
    results.push({
      name: `${s.name} responses, ${run.connections} conn.`,
      target: s.expect ?? 'all 2xx',
      value: run.bad === 0 ? 'ok' : `${fmtInt(run.bad)} bad of ${fmtInt(run.requests + run.bad)}`,
      pass: run.bad === 0 && run.requests > 0,
      scenario,
      connections: run.connections,
    })
  return results
}

/** Every target with its verdict, in the order they are printed. */
export function judge(figures: Figures): TargetResult[] {
  const results = figures.scenarios.flatMap((s) => scenarioTargets(figures, s))
  results.push({
    name: 'cold start (spawn → first 200 on /up)',
    target: `< ${LIMITS.coldStartMs} ms`,
    value: `${figures.coldStartMs.toFixed(0)} ms`,
    pass: figures.coldStartMs < LIMITS.coldStartMs,
  })
  results.push({
    name: 'resident memory after the load (VmRSS)',
    target: `< ${LIMITS.rssMb} MB`,
    value: `${figures.rssMb.toFixed(1)} MB`,
    pass: figures.rssMb < LIMITS.rssMb,
  })
  const { fees, appliance } = figures
  if (fees) {
    results.push({
      name: `fees allLedgers(${fees.asOf}), ${fmtInt(fees.taxpayers)} taxpayers, first run`,
      target: `< ${LIMITS.allLedgersMs} ms`,
      value: `${fees.allLedgersFirstMs} ms`,
      pass: fees.allLedgersFirstMs < LIMITS.allLedgersMs,
    })
    results.push({
      name: 'fees taxpayers.search by name prefix p99 (in process, one caller)',
      target: `< ${LIMITS.searchP99Ms} ms`,
      value: `${fees.searchP99Ms} ms`,
      pass: fees.searchP99Ms < LIMITS.searchP99Ms,
    })
  }
  if (appliance) {
    const size = `${appliance.sizeGiB.toFixed(1)} GiB`
    results.push({
      name: `appliance nightly backup of an unchanged ${size} data directory`,
      target: `< ${LIMITS.unchangedBackupMs / 1000} s`,
      value: `${(appliance.unchangedBackupMs / 1000).toFixed(1)} s`,
      pass: appliance.unchangedBackupMs < LIMITS.unchangedBackupMs,
    })
    results.push({
      name: `appliance restore drill of the ${size} snapshot`,
      target: `< ${LIMITS.drillMs / 1000} s, no problem`,
      value: `${(appliance.drillMs / 1000).toFixed(1)} s${appliance.drillProblems ? `, ${appliance.drillProblems} problem(s)` : ''}`,
      pass: appliance.drillMs < LIMITS.drillMs && appliance.drillProblems === 0,
    })
    results.push({
      name: `appliance db:switch SQLite → PostgreSQL, ${fmtInt(appliance.taxpayers)} taxpayers`,
      target: `< ${LIMITS.dbSwitchMs / 1000} s`,
      value: `${(appliance.dbSwitchMs / 1000).toFixed(1)} s`,
      pass: appliance.dbSwitchMs < LIMITS.dbSwitchMs,
    })
  }
  return results
}

export interface BenchArgs {
  /** Exit 1 when a target fails. */
  check: boolean
}

export class BenchArgsError extends Error {}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { check: false }
  for (const arg of argv) {
    if (arg === '--check') args.check = true
    else
      throw new BenchArgsError(
        `unknown argument "${arg}" (usage: npm run bench [-- --check]; knobs are environment variables, see bench/README.md)`
      )
  }
  return args
}

/** The bench's exit status once the figures are printed: 1 with --check when a target failed. */
export function exitCode(results: readonly TargetResult[], args: BenchArgs): 0 | 1 {
  return args.check && results.some((result) => !result.pass) ? 1 : 0
}

/*
 * Benchmark runner behind `npm run bench` (scripts/bench.sh builds the app, prepares the data
 * set and the environment, then runs this file with Node 24 and @poppinss/ts-exec).
 *
 * In one run, against 127.0.0.1 only:
 *   1. a bare node:http hello-world server (pinned to the server core) is measured;
 *   2. the production build (build/bin/server.js) is spawned on the same core and polled on
 *      GET /up every 20 ms: cold start = spawn to first 200;
 *   3. every scenario of bench/scenarios.ts and bench/signed_in.ts is loaded with autocannon
 *      at 20 and then at 50 connections (warm-up, then measured);
 *   4. the app's resident memory (VmRSS) is read after the load, and the app is stopped;
 *   5. the bare server is measured again; ratios use the mean of both bare runs.
 * bench/gates.ts judges the figures; this prints the table (with the change against the
 * previous run kept in bench/results.json) and the targets with PASS/FAIL, and writes
 * bench/results.json with the previous run under `previous`.
 *
 * Arguments: `--check` makes a failed target the exit status. Exit codes: 0 when the figures
 * were produced (without --check targets may still FAIL, they are reported), 1 with --check
 * when a target FAILs, 2 on an unknown argument or when the app or the bare server could not
 * start.
 *
 * Environment (set by scripts/bench.sh): PORT, HOST=127.0.0.1 and the app's own variables;
 * BENCH_BUILD_DIR (default ./build), BENCH_SERVER_CPU (core for the servers; unset = no
 * pinning, the runner itself is started on the other core), BENCH_PID_FILE (pids of the servers
 * started here, for the shell's cleanup), BENCH_LOG_DIR (server logs), BENCH_DURATION
 * (seconds measured per run, default 5), BENCH_WARMUP (seconds before a scenario's first run,
 * default 2; its second run warms up 1 s), BENCH_ONLY (comma-separated scenario names, paths
 * or groups: fees, signed-in).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { createServer, request } from 'node:http'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { scenarios, type BenchScenario } from './scenarios.js'
import { signedInScenarios } from './signed_in.js'
import {
  BenchArgsError,
  LOAD_CONNECTIONS,
  RATIO_AT,
  exitCode,
  fmtInt,
  fmtMs,
  judge,
  parseArgs,
  pct,
  shellRatio,
  type Figures,
  type ScenarioFigures,
  type TargetResult,
} from './gates.js'

let benchArgs: ReturnType<typeof parseArgs>
try {
  benchArgs = parseArgs(process.argv.slice(2))
} catch (error) {
  if (!(error instanceof BenchArgsError)) throw error
  console.error(`bench: ${error.message}`)
  process.exit(2)
}

/* autocannon ships no type declarations: load it through require with the few types used. */
interface AutocannonOptions {
  url: string
  connections: number
  duration: number
  method?: string
  headers?: Record<string, string>
  body?: string
  timeout?: number
}
interface AutocannonResult {
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  statusCodeStats: Record<string, { count: number }>
  latency: { p50: number; p99: number; average: number; max: number }
  requests: { average: number; total: number }
}
type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const HOST = '127.0.0.1'
const env = process.env
const BUILD_DIR = env.BENCH_BUILD_DIR || join(ROOT, 'build')
const SERVER_CPU = env.BENCH_SERVER_CPU || ''
const PID_FILE = env.BENCH_PID_FILE || ''
const LOG_DIR = env.BENCH_LOG_DIR || env.RATUSZ_DATA || ROOT
const DURATION = Number(env.BENCH_DURATION || 5)
const WARMUP = Number(env.BENCH_WARMUP || 2)
/* A scenario's second run follows its first on the same warm code paths: 1 s settles the new connection count. */
const REWARMUP = Math.min(WARMUP, 1)
const APP_PORT = Number(env.PORT)
const START_TIMEOUT_MS = 30_000
const RESULTS_FILE = join(ROOT, 'bench', 'results.json')

const startedAt = performance.now()
const loadBefore = loadavg()[0]
const children = new Set<ChildProcess>()

/* ---------- processes ---------- */

/* The same V8 flags the production service runs with (config/node_flags.json). */
const PRODUCTION_NODE_FLAGS: string[] = JSON.parse(
  readFileSync(new URL('../config/node_flags.json', import.meta.url), 'utf8')
).production

function spawnPinned(args: string[], options: { cwd: string; log: string }) {
  const command = SERVER_CPU ? 'taskset' : process.execPath
  const argv = SERVER_CPU ? ['-c', SERVER_CPU, process.execPath, ...args] : args
  const fd = openSync(options.log, 'a')
  const child = spawn(command, argv, { cwd: options.cwd, env, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  children.add(child)
  child.once('exit', () => children.delete(child))
  if (PID_FILE && child.pid) appendFileSync(PID_FILE, `${child.pid}\n`)
  return child
}

async function stop(child: ChildProcess, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

function killAll() {
  for (const child of children) child.kill('SIGKILL')
}
process.on('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`bench: ${signal}, stopping servers`)
    killAll()
    process.exit(130)
  })
}

function tail(file: string, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

function fail(message: string, log?: string): never {
  console.error(`bench: ${message}`)
  if (log) console.error(`--- last lines of ${log} ---\n${tail(log)}\n---`)
  killAll()
  process.exit(2)
}

/* ---------- HTTP helpers ---------- */

function probe(
  port: number,
  path: string,
  method = 'GET',
  timeoutMs = 1000,
  headers: Record<string, string> = {}
) {
  return new Promise<{ status: number; location?: string } | null>((resolve) => {
    const req = request(
      { host: HOST, port, path, method, headers, agent: false, timeout: timeoutMs },
      (res) => {
        res.resume()
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location })
        )
      }
    )
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(null))
    req.end()
  })
}

/** Polls GET /up every 20 ms; resolves with the ms from `since` to the first 200. */
async function waitUntilUp(port: number, child: ChildProcess, since: number, log: string) {
  while (performance.now() - since < START_TIMEOUT_MS) {
    if (child.exitCode !== null || child.signalCode !== null) {
      fail(
        `server exited (code ${child.exitCode ?? child.signalCode}) before answering GET /up`,
        log
      )
    }
    const res = await probe(port, '/up', 'GET', 500)
    if (res?.status === 200) return performance.now() - since
    await sleep(20)
  }
  fail(`no 200 on http://${HOST}:${port}/up within ${START_TIMEOUT_MS / 1000} s`, log)
}

function freePort() {
  return new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, HOST, () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/* ---------- load ---------- */

interface Measure {
  connections: number
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  avgMs: number
  maxMs: number
  requests: number
  statusCodes: Record<string, number>
  unexpected: number
  errors: number
  timeouts: number
}

async function load(
  port: number,
  s: Pick<BenchScenario, 'path' | 'method' | 'headers' | 'body' | 'expectStatus'>,
  connections: number,
  warmup = WARMUP
) {
  const options: AutocannonOptions = {
    url: `http://${HOST}:${port}${s.path}`,
    connections,
    duration: warmup,
    method: s.method ?? 'GET',
    headers: s.headers,
    body: s.body,
    timeout: 10,
  }
  if (warmup > 0) await autocannon(options)
  await sleep(200)
  const r = await autocannon({ ...options, duration: DURATION })
  const statusCodes: Record<string, number> = {}
  let unexpected = 0
  for (const [code, { count }] of Object.entries(r.statusCodeStats)) {
    statusCodes[code] = count
    const n = Number(code)
    const good = s.expectStatus ? s.expectStatus.includes(n) : n >= 200 && n < 300
    if (!good) unexpected += count
  }
  return {
    connections,
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    avgMs: r.latency.average,
    maxMs: r.latency.max,
    requests: r.requests.total,
    statusCodes,
    unexpected,
    errors: r.errors,
    timeouts: r.timeouts,
  } satisfies Measure
}

function readRssMb(pid: number) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (name: string) =>
      Number(status.match(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm'))?.[1] ?? Number.NaN)
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 }
  } catch {
    return { rssMb: Number.NaN, peakRssMb: Number.NaN }
  }
}

/* ---------- run ---------- */

const BARE_SERVER = `
const http = require('node:http')
http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' })
  res.end('hello world')
}).listen(Number(process.argv[1]), '127.0.0.1')
`

const only = (env.BENCH_ONLY || '')
  .split(',')
  .map((v) => v.trim())
  .filter(Boolean)
const matches = (s: BenchScenario) =>
  only.length === 0 ||
  only.includes(s.name) ||
  only.includes(s.path) ||
  (s.groups ?? []).some((group) => only.includes(group))
const selected = scenarios.filter(matches)
/* Bare node:http is measured at every count a ratio is judged at. */
const bareCounts = [
  ...new Set([RATIO_AT, ...scenarios.flatMap((s) => s.target?.ratioAt ?? [])]),
].sort((a, b) => a - b)

if (!Number.isInteger(APP_PORT) || APP_PORT <= 0)
  fail('PORT is not set (run through scripts/bench.sh)')
console.log(
  `bench: each scenario at ${LOAD_CONNECTIONS.join(' and ')} connections, ${WARMUP} s warm-up ` +
    `(${REWARMUP} s before the second run) + ${DURATION} s measured per run, ` +
    (SERVER_CPU
      ? `servers on CPU ${SERVER_CPU}, load generator on the other`
      : 'no CPU pinning (taskset or 2nd core missing)') +
    (benchArgs.check ? '; --check: a failed target fails the run' : '')
)

async function loadBare(port: number) {
  const runs: Measure[] = []
  for (const connections of bareCounts) runs.push(await load(port, { path: '/' }, connections))
  return runs
}

// 1. bare node:http, before
const barePort = await freePort()
const bareLog = join(LOG_DIR, 'bare.log')
const bare = spawnPinned(['-e', BARE_SERVER, String(barePort)], { cwd: ROOT, log: bareLog })
await waitUntilUp(barePort, bare, performance.now(), bareLog)
console.log('bench: bare node:http (before)…')
const bareBefore = await loadBare(barePort)

// 2. app cold start
const appLog = join(LOG_DIR, 'server.log')
const spawnedAt = performance.now()
/* BENCH_CPU_PROF=<dir>: V8 CPU profile of the app over the whole run (see bench/profile_summary.ts). */
const profileFlags = env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, env.BENCH_CPU_PROF)}`]
  : []
const app = spawnPinned([...PRODUCTION_NODE_FLAGS, ...profileFlags, 'bin/server.js'], {
  cwd: BUILD_DIR,
  log: appLog,
})
const coldStartMs = await waitUntilUp(APP_PORT, app, spawnedAt, appLog)
console.log(`bench: app answered GET /up ${coldStartMs.toFixed(0)} ms after spawn`)

// 3. scenarios; the signed-in pages need sessions signed in through the real forms first
const notes: string[] = []
try {
  const signedIn = await signedInScenarios(APP_PORT)
  notes.push(...signedIn.notes)
  const picked = new Set(signedIn.scenarios.filter(matches))
  /* A signed-in page is judged against its realm's shell: measure the shell with it. */
  for (const page of [...picked])
    if (page.realm && !page.shell) {
      const shell = signedIn.scenarios.find((s) => s.shell && s.realm === page.realm)
      if (shell) picked.add(shell)
    }
  selected.push(...signedIn.scenarios.filter((s) => picked.has(s)))
} catch (error) {
  notes.push(`signed-in scenarios skipped — ${(error as Error).message}`)
}
const preflight: Record<string, { status: number; location?: string } | null> = {}
const measured: Array<{ scenario: BenchScenario; runs: Measure[] }> = []
for (const scenario of selected) {
  preflight[scenario.name] = await probe(
    APP_PORT,
    scenario.path,
    scenario.method ?? 'GET',
    5000,
    scenario.headers
  )
  const pf = preflight[scenario.name]
  console.log(
    `bench: ${scenario.name}… (first response: ${pf ? pf.status + (pf.location ? ` → ${pf.location}` : '') : 'none'})`
  )
  const runs: Measure[] = []
  for (const [index, connections] of LOAD_CONNECTIONS.entries()) {
    runs.push(await load(APP_PORT, scenario, connections, index === 0 ? WARMUP : REWARMUP))
    if (app.exitCode !== null || app.signalCode !== null)
      fail('the app exited during the load', appLog)
  }
  measured.push({ scenario, runs })
}
const wantFees = only.length === 0 || only.includes('fees')

// 4. memory after the load, then stop the app
const memory = readRssMb(app.pid!)
await stop(app)

// 4b. fees in process (app stopped, same core): allLedgers over 20,000 taxpayers, search by prefix
interface FeesMeasure {
  asOf: string
  allLedgers: {
    firstMs: number
    bestMs: number
    runsMs: number[]
    taxpayers: number
    installments: number
    inArrears: number
    interestGr: number
  }
  search: {
    calls: number
    avgResults: number
    p50Ms: number
    p99Ms: number
    maxMs: number
    concurrency: number
    concurrentP50Ms: number
    concurrentP99Ms: number
  }
}
let feesMeasure: FeesMeasure | null = null
if (wantFees) {
  console.log('bench: fees allLedgers and taxpayer search (in process)…')
  const feesLog = join(LOG_DIR, 'fees-measure.log')
  const child = spawnPinned(['--import=@poppinss/ts-exec', 'bench/fees.ts', 'measure'], {
    cwd: ROOT,
    log: feesLog,
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const last = tail(feesLog, 50)
    .split('\n')
    .reverse()
    .find((logLine) => logLine.startsWith('{'))
  try {
    if (code !== 0 || !last) throw new Error(`exit ${code}`)
    feesMeasure = JSON.parse(last) as FeesMeasure
  } catch (error) {
    notes.push(
      `fees: in-process measurement failed (${(error as Error).message}); see ${feesLog}:\n${tail(feesLog, 15)}`
    )
  }
}

// 4c. appliance (app stopped, same core): nightly backup of an unchanged 1 GB data directory,
// restore drill, db:switch SQLite → PostgreSQL. Heavy (about 3 GB on disk): BENCH_APPLIANCE=0 skips it.
interface ApplianceMeasure {
  generated: { files: number; bytes: number; ms: number }
  first: { ms: number; bytesProcessed: number; bytesAdded: number; files: number }
  unchanged: { ms: number; bytesProcessed: number; bytesAdded: number; files: number }
  drill: {
    ms: number
    files: { restored: number; same: number; changedSince: number; missingLive: number }
    tables: number
    problems: string[]
  }
  dbSwitch: { wallMs: number; switchMs: number; tables: number; rows: number; taxpayers: number }
}
let applianceMeasure: ApplianceMeasure | null = null
const wantAppliance =
  env.BENCH_APPLIANCE !== '0' && (only.length === 0 || only.includes('appliance'))
if (wantAppliance) {
  console.log('bench: appliance backup of 1 GB, restore drill, db:switch to PostgreSQL…')
  const applianceLog = join(LOG_DIR, 'appliance-measure.log')
  const child = spawnPinned(['--import=@poppinss/ts-exec', 'bench/appliance.ts'], {
    cwd: ROOT,
    log: applianceLog,
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const last = tail(applianceLog, 50)
    .split('\n')
    .reverse()
    .find((logLine) => logLine.startsWith('{'))
  try {
    if (code !== 0 || !last) throw new Error(`exit ${code}`)
    applianceMeasure = JSON.parse(last) as ApplianceMeasure
  } catch (error) {
    notes.push(
      `appliance: measurement failed (${(error as Error).message}); see ${applianceLog}:\n${tail(applianceLog, 15)}`
    )
  }
} else {
  notes.push('appliance: skipped (BENCH_APPLIANCE=0 or BENCH_ONLY)')
}

// 5. bare node:http, after
console.log('bench: bare node:http (after)…')
const bareAfter = await loadBare(barePort)
await stop(bare)
const bareReqPerSec: Record<number, number> = {}
let bareDrift = 0
bareCounts.forEach((connections, index) => {
  const [before, after] = [bareBefore[index].reqPerSec, bareAfter[index].reqPerSec]
  bareReqPerSec[connections] = (before + after) / 2
  /* The two bare runs bracket the app: a large gap means something else loaded the machine. */
  bareDrift = Math.max(bareDrift, Math.abs(before - after) / Math.max(before, after, 1))
})
const loadAfter = loadavg()[0]
const noisy = bareDrift > 0.25

/* ---------- targets and report ---------- */

const figures: Figures = {
  bareReqPerSec,
  coldStartMs,
  rssMb: memory.rssMb,
  scenarios: measured.map(({ scenario, runs }): ScenarioFigures => ({
    name: scenario.name,
    realm: scenario.realm,
    shell: scenario.shell,
    target: scenario.target,
    expect: scenario.expectStatus ? `all ${scenario.expectStatus.join('/')}` : 'all 2xx',
    runs: runs.map((m) => ({
      connections: m.connections,
      reqPerSec: m.reqPerSec,
      p99Ms: m.p99Ms,
      requests: m.requests,
      bad: m.unexpected + m.errors,
    })),
  })),
  fees: feesMeasure && {
    asOf: feesMeasure.asOf,
    taxpayers: feesMeasure.allLedgers.taxpayers,
    allLedgersFirstMs: feesMeasure.allLedgers.firstMs,
    searchP99Ms: feesMeasure.search.p99Ms,
  },
  appliance: applianceMeasure && {
    sizeGiB: applianceMeasure.generated.bytes / 2 ** 30,
    unchangedBackupMs: applianceMeasure.unchanged.ms,
    drillMs: applianceMeasure.drill.ms,
    drillProblems: applianceMeasure.drill.problems.length,
    dbSwitchMs: applianceMeasure.dbSwitch.wallMs,
    taxpayers: applianceMeasure.dbSwitch.taxpayers,
  },
}
const targets: TargetResult[] = judge(figures)

/* The previous run, from the results file this run replaces (its own `previous` is dropped). */
interface PreviousRun {
  date: string
  scenarios: Array<{ name: string; connections?: number; reqPerSec: number; p99Ms: number }>
  [key: string]: unknown
}
function readPrevious(): PreviousRun | null {
  if (!existsSync(RESULTS_FILE)) return null
  try {
    const run = JSON.parse(readFileSync(RESULTS_FILE, 'utf8'))
    delete run.previous
    return Array.isArray(run.scenarios) && typeof run.date === 'string' ? run : null
  } catch {
    return null
  }
}
const previous = readPrevious()

function signed(value: number, text: string) {
  return `${value < 0 ? '−' : '+'}${text}`
}
/* The bare runs are kept under `bare.before` / `bare.after`: one run (older files) or one per count. */
function previousBare(label: 'before' | 'after', connections: number) {
  const bareRuns = (previous?.bare as Record<string, unknown> | undefined)?.[label]
  const runs = ([] as Array<{ connections?: number; reqPerSec: number; p99Ms: number }>).concat(
    (bareRuns as never) ?? []
  )
  return runs.find((run) => (run.connections ?? 50) === connections)
}
function change(name: string, m: Measure, bareLabel?: 'before' | 'after') {
  const before = bareLabel
    ? previousBare(bareLabel, m.connections)
    : previous?.scenarios.find((s) => s.name === name && (s.connections ?? 50) === m.connections)
  if (!previous) return ''
  if (!before) return 'new'
  const rate = before.reqPerSec > 0 ? m.reqPerSec / before.reqPerSec - 1 : 0
  const p99 = m.p99Ms - before.p99Ms
  return `${signed(rate, pct(Math.abs(rate)))} req/s, ${signed(p99, fmtMs(Math.abs(p99)))} ms p99`
}
function statusSummary(m: Measure) {
  const parts = Object.entries(m.statusCodes).map(([code, n]) => `${code}:${fmtInt(n)}`)
  if (m.errors)
    parts.push(`err:${fmtInt(m.errors)}${m.timeouts ? ` (timeouts ${fmtInt(m.timeouts)})` : ''}`)
  return parts.join(' ') || 'none'
}
function verdict(name: string, connections: number) {
  const checks = targets.filter((t) => t.scenario === name && t.connections === connections)
  if (checks.length === 0) return ''
  return checks.every((t) => t.pass) ? 'PASS' : 'FAIL'
}
const ratioText = (ratio: number | null) => (ratio === null ? '' : pct(ratio))

const header = [
  'scenario',
  'conn.',
  'req/s',
  'p50 ms',
  'p99 ms',
  'vs bare',
  'vs shell',
  'bad',
  'responses',
  previous
    ? `vs previous run (${previous.date.slice(0, 16).replace('T', ' ')} UTC)`
    : 'vs previous',
  'result',
]
const bareRows = (label: 'before' | 'after', runs: Measure[]) =>
  runs.map((m) => [
    `bare node:http (${label})`,
    String(m.connections),
    fmtInt(m.reqPerSec),
    fmtMs(m.p50Ms),
    fmtMs(m.p99Ms),
    pct(m.reqPerSec / bareReqPerSec[m.connections]),
    '',
    fmtInt(m.unexpected + m.errors),
    statusSummary(m),
    change(`bare node:http (${label})`, m, label),
    '',
  ])
const table: string[][] = [
  ...bareRows('before', bareBefore),
  ...bareRows('after', bareAfter),
  ...measured.flatMap(({ scenario, runs }) => {
    const s = figures.scenarios.find((f) => f.name === scenario.name)!
    return runs.map((m) => [
      scenario.name,
      String(m.connections),
      fmtInt(m.reqPerSec),
      fmtMs(m.p50Ms),
      fmtMs(m.p99Ms),
      bareReqPerSec[m.connections] ? pct(m.reqPerSec / bareReqPerSec[m.connections]) : '',
      ratioText(shellRatio(figures, s, m.connections)),
      fmtInt(m.unexpected + m.errors),
      statusSummary(m),
      change(scenario.name, m),
      verdict(scenario.name, m.connections),
    ])
  }),
]
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)))
const numeric = new Set([1, 2, 3, 4, 5, 6, 7])
const line = (cells: string[]) =>
  cells
    .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
    .join('  ')
    .trimEnd()

console.log('')
console.log(line(header))
console.log(widths.map((w) => '-'.repeat(w)).join('  '))
for (const row of table) console.log(line(row))
console.log(
  `(vs bare: share of bare node:http req/s at the same connection count; vs shell: share of the realm shell's req/s — resident /konto, staff /panel)`
)
console.log('')
const nameWidth = Math.max(...targets.map((t) => t.name.length))
const valueWidth = Math.max(...targets.map((t) => t.value.length))
const targetWidth = Math.max(...targets.map((t) => t.target.length))
for (const t of targets) {
  console.log(
    `${t.pass ? 'PASS' : 'FAIL'}  ${t.name.padEnd(nameWidth)}  ${t.value.padStart(valueWidth)}  target ${t.target.padEnd(targetWidth)}`.trimEnd()
  )
}
for (const { scenario, runs } of measured) {
  const pf = preflight[scenario.name]
  if (runs.some((m) => m.unexpected + m.errors > 0) && pf?.location) {
    console.log(
      `note: ${scenario.name} answered ${pf.status} → ${pf.location} (is the demo data seeded?)`
    )
  }
}
if (feesMeasure) {
  const { allLedgers, search } = feesMeasure
  console.log(
    `fees: allLedgers runs ${allLedgers.runsMs.join(' / ')} ms over ${fmtInt(allLedgers.installments)} installments ` +
      `(${fmtInt(allLedgers.inArrears)} taxpayers in arrears, ${pct(allLedgers.inArrears / Math.max(1, allLedgers.taxpayers))}); ` +
      `search p50 ${search.p50Ms} ms, p99 ${search.p99Ms} ms ` +
      `(${search.avgResults} rows), with ${search.concurrency} concurrent callers p50 ${search.concurrentP50Ms} ms, p99 ${search.concurrentP99Ms} ms`
  )
}
if (applianceMeasure) {
  const { generated, first, unchanged, drill, dbSwitch } = applianceMeasure
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`
  console.log(
    `appliance: ${fmtInt(generated.files)} random files (${mb(generated.bytes)}); first backup ${(first.ms / 1000).toFixed(1)} s ` +
      `(${mb(first.bytesAdded)} added), unchanged backup ${(unchanged.ms / 1000).toFixed(1)} s (${mb(unchanged.bytesAdded)} added); ` +
      `drill ${(drill.ms / 1000).toFixed(1)} s (${fmtInt(drill.files.same)} of ${fmtInt(drill.files.restored)} files equal, ${drill.tables} tables); ` +
      `db:switch ${(dbSwitch.wallMs / 1000).toFixed(1)} s with boot (copy and verify ${(dbSwitch.switchMs / 1000).toFixed(1)} s), ${fmtInt(dbSwitch.rows)} rows in ${dbSwitch.tables} tables`
  )
}
for (const note of notes) console.log(`note: ${note}`)
const passed = targets.filter((t) => t.pass).length
const failed = targets.length - passed
const elapsedS = (performance.now() - startedAt) / 1000
console.log(
  `\nmemory after load: VmRSS ${memory.rssMb.toFixed(1)} MB (peak ${memory.peakRssMb.toFixed(1)} MB); cold start ${coldStartMs.toFixed(0)} ms`
)
console.log(
  `load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadAfter.toFixed(2)} at end`
)
if (noisy) {
  console.log(
    `WARNING: the bare node:http runs differ by ${pct(bareDrift)}: the machine was busy, ratios are unreliable; run again on a quiet machine`
  )
}
if (previous) {
  const before = `${previous.passed ?? '?'} passed, ${previous.failed ?? '?'} failed`
  console.log(`previous run ${previous.date}: ${before}`)
}
console.log(`bench targets: ${passed} passed, ${failed} failed (runner ${elapsedS.toFixed(0)} s)`)

const results = {
  date: new Date().toISOString(),
  node: process.version,
  args: benchArgs,
  loadAverage: { start: loadBefore, end: loadAfter },
  bareDrift: Number(bareDrift.toFixed(4)),
  noisy,
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    totalMemMb: Math.round(totalmem() / 2 ** 20),
  },
  pinning: SERVER_CPU ? { serverCpu: Number(SERVER_CPU), loadGenerator: 'other core' } : null,
  settings: {
    connections: LOAD_CONNECTIONS,
    ratiosAt: RATIO_AT,
    warmupS: WARMUP,
    rewarmupS: REWARMUP,
    durationS: DURATION,
    host: HOST,
  },
  bare: { before: bareBefore, after: bareAfter, reqPerSec: bareReqPerSec },
  coldStartMs: Math.round(coldStartMs),
  memory: {
    rssMb: Number(memory.rssMb.toFixed(1)),
    peakRssMb: Number(memory.peakRssMb.toFixed(1)),
  },
  /* One entry per scenario and connection count (name + connections is the key). */
  scenarios: measured.flatMap(({ scenario, runs }) =>
    runs.map((m) => {
      const s = figures.scenarios.find((f) => f.name === scenario.name)!
      const bareRate = bareReqPerSec[m.connections]
      return {
        name: scenario.name,
        method: scenario.method ?? 'GET',
        path: scenario.path,
        realm: scenario.realm ?? null,
        shell: scenario.shell ?? false,
        target: scenario.target ?? {},
        firstResponse: preflight[scenario.name],
        ...m,
        ratio: bareRate ? Number((m.reqPerSec / bareRate).toFixed(4)) : null,
        shellRatio: shellRatio(figures, s, m.connections),
        pass: verdict(scenario.name, m.connections) !== 'FAIL',
      }
    })
  ),
  fees: feesMeasure,
  appliance: applianceMeasure,
  notes,
  targets,
  passed,
  failed,
  elapsedS: Number(elapsedS.toFixed(1)),
  previous,
}
writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n')
console.log('bench: wrote bench/results.json')
process.exitCode = exitCode(targets, benchArgs)
if (process.exitCode)
  console.log(`bench: --check: ${failed} target(s) failed, exit status ${process.exitCode}`)

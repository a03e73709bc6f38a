/*
 * Benchmark runner behind `npm run bench` (scripts/bench.sh builds the app, prepares the data
 * set and the environment, then runs this file with Node 24 and @poppinss/ts-exec).
 *
 * In one run, against 127.0.0.1 only:
 *   1. a bare node:http hello-world server (pinned to the server core) is measured;
 *   2. the production build (build/bin/server.js) is spawned on the same core and polled on
 *      GET /up every 20 ms: cold start = spawn to first 200;
 *   3. every scenario of bench/scenarios.ts is loaded with autocannon (warm-up, then measured);
 *   4. the app's resident memory (VmRSS) is read after the load, and the app is stopped;
 *   5. the bare server is measured again; ratios use the mean of both bare runs.
 * Prints a table with PASS/FAIL per target and writes bench/results.json.
 *
 * Exit codes: 0 when the figures were produced (targets may still FAIL, they are reported),
 * 2 when the app or the bare server could not start.
 *
 * Environment (set by scripts/bench.sh): PORT, HOST=127.0.0.1 and the app's own variables;
 * BENCH_BUILD_DIR (default ./build), BENCH_SERVER_CPU (core for the servers; unset = no
 * pinning, the runner itself is started on the other core), BENCH_PID_FILE (pids of the servers
 * started here, for the shell's cleanup), BENCH_LOG_DIR (server logs), BENCH_DURATION
 * (seconds measured per scenario, default 8), BENCH_WARMUP (seconds, default 2),
 * BENCH_CONNECTIONS (default 50), BENCH_ONLY (comma-separated scenario names or paths).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { appendFileSync, openSync, readFileSync, writeFileSync, closeSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { scenarios, type BenchScenario } from './scenarios.js'
import { feesHttpScenarios } from './fees_http.js'

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
const DURATION = Number(env.BENCH_DURATION || 8)
const WARMUP = Number(env.BENCH_WARMUP || 2)
const CONNECTIONS = Number(env.BENCH_CONNECTIONS || 50)
const APP_PORT = Number(env.PORT)
const COLD_START_LIMIT_MS = 2000
const RSS_LIMIT_MB = 200
const START_TIMEOUT_MS = 30_000

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
  s: Pick<BenchScenario, 'path' | 'method' | 'headers' | 'body' | 'connections' | 'expectStatus'>
) {
  const options: AutocannonOptions = {
    url: `http://${HOST}:${port}${s.path}`,
    connections: s.connections ?? CONNECTIONS,
    duration: WARMUP,
    method: s.method ?? 'GET',
    headers: s.headers,
    body: s.body,
    timeout: 10,
  }
  if (WARMUP > 0) await autocannon(options)
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
const selected = only.length
  ? scenarios.filter((s) => only.includes(s.name) || only.includes(s.path))
  : scenarios

if (!Number.isInteger(APP_PORT) || APP_PORT <= 0)
  fail('PORT is not set (run through scripts/bench.sh)')
console.log(
  `bench: ${selected.length} scenario(s), ${WARMUP} s warm-up + ${DURATION} s each, ${CONNECTIONS} connections, ` +
    (SERVER_CPU
      ? `servers on CPU ${SERVER_CPU}, load generator on the other`
      : 'no CPU pinning (taskset or 2nd core missing)')
)

// 1. bare node:http, before
const barePort = await freePort()
const bareLog = join(LOG_DIR, 'bare.log')
const bare = spawnPinned(['-e', BARE_SERVER, String(barePort)], { cwd: ROOT, log: bareLog })
await waitUntilUp(barePort, bare, performance.now(), bareLog)
console.log('bench: bare node:http (before)…')
const bareBefore = await load(barePort, { path: '/' })

// 2. app cold start
const appLog = join(LOG_DIR, 'server.log')
const spawnedAt = performance.now()
const app = spawnPinned([...PRODUCTION_NODE_FLAGS, 'bin/server.js'], {
  cwd: BUILD_DIR,
  log: appLog,
})
const coldStartMs = await waitUntilUp(APP_PORT, app, spawnedAt, appLog)
console.log(`bench: app answered GET /up ${coldStartMs.toFixed(0)} ms after spawn`)

// 3. scenarios; the fees pages need sessions signed in through the real forms first
const notes: string[] = []
const wantFees = only.length === 0 || only.some((name) => name.startsWith('fees'))
if (wantFees) {
  try {
    const fees = await feesHttpScenarios(APP_PORT)
    selected.push(
      ...fees.scenarios.filter(
        (s) => only.length === 0 || only.includes('fees') || only.includes(s.name)
      )
    )
    notes.push(...fees.notes)
  } catch (error) {
    notes.push(`fees: signed-in scenarios skipped — ${(error as Error).message}`)
  }
}
const preflight: Record<string, { status: number; location?: string } | null> = {}
const measured: Array<{ scenario: BenchScenario; m: Measure }> = []
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
  measured.push({ scenario, m: await load(APP_PORT, scenario) })
  if (app.exitCode !== null || app.signalCode !== null)
    fail('the app exited during the load', appLog)
}

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
const bareAfter = await load(barePort, { path: '/' })
await stop(bare)
const bareReqPerSec = (bareBefore.reqPerSec + bareAfter.reqPerSec) / 2
const loadAfter = loadavg()[0]
/* The two bare runs bracket the app: a large gap means something else loaded the machine. */
const bareDrift =
  Math.abs(bareBefore.reqPerSec - bareAfter.reqPerSec) /
  Math.max(bareBefore.reqPerSec, bareAfter.reqPerSec, 1)
const noisy = bareDrift > 0.25

/* ---------- targets and report ---------- */

interface TargetResult {
  name: string
  target: string
  value: string
  pass: boolean
}
const targets: TargetResult[] = []

const rows = measured.map(({ scenario, m }) => {
  const ratio = bareReqPerSec > 0 ? m.reqPerSec / bareReqPerSec : 0
  const checks: TargetResult[] = []
  const bad = m.unexpected + m.errors
  if (scenario.target?.minRatio !== undefined) {
    checks.push({
      name: `${scenario.name} req/s vs bare node:http`,
      target: `≥ ${pct(scenario.target.minRatio)}`,
      value: pct(ratio),
      pass: ratio >= scenario.target.minRatio,
    })
  }
  if (scenario.target?.maxP99Ms !== undefined) {
    checks.push({
      name: `${scenario.name} p99`,
      target: `< ${scenario.target.maxP99Ms} ms`,
      value: `${fmtMs(m.p99Ms)} ms`,
      pass: m.p99Ms < scenario.target.maxP99Ms,
    })
  }
  checks.push({
    name: `${scenario.name} responses`,
    target: scenario.expectStatus ? `all ${scenario.expectStatus.join('/')}` : 'all 2xx',
    value: bad === 0 ? 'ok' : `${bad} bad of ${m.requests + m.errors}`,
    pass: bad === 0 && m.requests > 0,
  })
  targets.push(...checks)
  return { scenario, m, ratio, checks }
})

targets.push({
  name: 'cold start (spawn → first 200 on /up)',
  target: `< ${COLD_START_LIMIT_MS} ms`,
  value: `${coldStartMs.toFixed(0)} ms`,
  pass: coldStartMs < COLD_START_LIMIT_MS,
})
targets.push({
  name: 'resident memory after the load (VmRSS)',
  target: `< ${RSS_LIMIT_MB} MB`,
  value: `${memory.rssMb.toFixed(1)} MB`,
  pass: memory.rssMb < RSS_LIMIT_MB,
})

if (feesMeasure) {
  const { allLedgers, search } = feesMeasure
  targets.push({
    name: `fees allLedgers(${feesMeasure.asOf}), ${fmtInt(allLedgers.taxpayers)} taxpayers, first run`,
    target: '< 3000 ms',
    value: `${allLedgers.firstMs} ms`,
    pass: allLedgers.firstMs < 3000,
  })
  targets.push({
    name: 'fees taxpayers.search by name prefix p99 (in process, one caller)',
    target: '< 30 ms',
    value: `${search.p99Ms} ms`,
    pass: search.p99Ms < 30,
  })
}

if (applianceMeasure) {
  const { generated, unchanged, drill, dbSwitch } = applianceMeasure
  const size = `${(generated.bytes / 2 ** 30).toFixed(1)} GiB`
  targets.push({
    name: `appliance nightly backup of an unchanged ${size} data directory`,
    target: '< 15 s',
    value: `${(unchanged.ms / 1000).toFixed(1)} s`,
    pass: unchanged.ms < 15_000,
  })
  targets.push({
    name: `appliance restore drill of the ${size} snapshot`,
    target: '< 60 s, no problem',
    value: `${(drill.ms / 1000).toFixed(1)} s${drill.problems.length ? `, ${drill.problems.length} problem(s)` : ''}`,
    pass: drill.ms < 60_000 && drill.problems.length === 0,
  })
  targets.push({
    name: `appliance db:switch SQLite → PostgreSQL, ${fmtInt(dbSwitch.taxpayers)} taxpayers`,
    target: '< 60 s',
    value: `${(dbSwitch.wallMs / 1000).toFixed(1)} s`,
    pass: dbSwitch.wallMs < 60_000,
  })
}

function pct(v: number) {
  return `${(v * 100).toFixed(1)} %`
}
function fmtMs(v: number) {
  return v.toFixed(v < 10 ? 1 : 0)
}
function fmtInt(v: number) {
  return Math.round(v).toLocaleString('en-US')
}
function statusSummary(m: Measure) {
  const parts = Object.entries(m.statusCodes).map(([code, n]) => `${code}:${fmtInt(n)}`)
  if (m.errors)
    parts.push(`err:${fmtInt(m.errors)}${m.timeouts ? ` (timeouts ${fmtInt(m.timeouts)})` : ''}`)
  return parts.join(' ') || 'none'
}
function targetText(scenario: BenchScenario) {
  const parts: string[] = []
  if (scenario.target?.minRatio !== undefined)
    parts.push(`≥ ${(scenario.target.minRatio * 100).toFixed(0)} % of bare`)
  if (scenario.target?.maxP99Ms !== undefined) parts.push(`p99 < ${scenario.target.maxP99Ms} ms`)
  parts.push(scenario.expectStatus ? `only ${scenario.expectStatus.join('/')}` : 'only 2xx')
  return parts.join(', ')
}
function verdict(checks: TargetResult[]) {
  return checks.every((c) => c.pass) ? 'PASS' : 'FAIL'
}

const header = [
  'scenario',
  'req/s',
  'p50 ms',
  'p99 ms',
  'vs bare',
  'non-2xx/err',
  'responses',
  'target',
  'result',
]
const table: string[][] = [
  [
    'bare node:http (before)',
    fmtInt(bareBefore.reqPerSec),
    fmtMs(bareBefore.p50Ms),
    fmtMs(bareBefore.p99Ms),
    pct(bareBefore.reqPerSec / bareReqPerSec),
    fmtInt(bareBefore.unexpected + bareBefore.errors),
    statusSummary(bareBefore),
    '',
    '',
  ],
  [
    'bare node:http (after)',
    fmtInt(bareAfter.reqPerSec),
    fmtMs(bareAfter.p50Ms),
    fmtMs(bareAfter.p99Ms),
    pct(bareAfter.reqPerSec / bareReqPerSec),
    fmtInt(bareAfter.unexpected + bareAfter.errors),
    statusSummary(bareAfter),
    'baseline = mean',
    '',
  ],
  ...rows.map(({ scenario, m, ratio, checks }) => [
    scenario.name,
    fmtInt(m.reqPerSec),
    fmtMs(m.p50Ms),
    fmtMs(m.p99Ms),
    pct(ratio),
    fmtInt(m.unexpected + m.errors),
    statusSummary(m),
    targetText(scenario),
    verdict(checks),
  ]),
]
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)))
const numeric = new Set([1, 2, 3, 4, 5])
const line = (cells: string[]) =>
  cells
    .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
    .join('  ')
    .trimEnd()

console.log('')
console.log(line(header))
console.log(widths.map((w) => '-'.repeat(w)).join('  '))
for (const row of table) console.log(line(row))
console.log('')
const nameWidth = Math.max(...targets.map((t) => t.name.length))
const valueWidth = Math.max(...targets.map((t) => t.value.length))
const targetWidth = Math.max(...targets.map((t) => t.target.length))
for (const t of targets) {
  console.log(
    `${t.pass ? 'PASS' : 'FAIL'}  ${t.name.padEnd(nameWidth)}  ${t.value.padStart(valueWidth)}  target ${t.target.padEnd(targetWidth)}`.trimEnd()
  )
}
for (const { scenario, m } of rows) {
  const pf = preflight[scenario.name]
  if (m.unexpected + m.errors > 0 && pf?.location) {
    console.log(
      `note: ${scenario.name} answered ${pf.status} → ${pf.location} (is the demo data seeded?)`
    )
  }
}
if (feesMeasure) {
  const { allLedgers, search } = feesMeasure
  console.log(
    `fees: allLedgers runs ${allLedgers.runsMs.join(' / ')} ms over ${fmtInt(allLedgers.installments)} installments ` +
      `(${fmtInt(allLedgers.inArrears)} in arrears); search p50 ${search.p50Ms} ms, p99 ${search.p99Ms} ms ` +
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
console.log(`bench targets: ${passed} passed, ${failed} failed (runner ${elapsedS.toFixed(0)} s)`)

const results = {
  date: new Date().toISOString(),
  node: process.version,
  loadAverage: { start: loadBefore, end: loadAfter },
  bareDrift: Number(bareDrift.toFixed(4)),
  noisy,
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    totalMemMb: Math.round(totalmem() / 2 ** 20),
  },
  pinning: SERVER_CPU ? { serverCpu: Number(SERVER_CPU), loadGenerator: 'other core' } : null,
  settings: { connections: CONNECTIONS, warmupS: WARMUP, durationS: DURATION, host: HOST },
  bare: { before: bareBefore, after: bareAfter, reqPerSec: bareReqPerSec },
  coldStartMs: Math.round(coldStartMs),
  memory: {
    rssMb: Number(memory.rssMb.toFixed(1)),
    peakRssMb: Number(memory.peakRssMb.toFixed(1)),
  },
  scenarios: rows.map(({ scenario, m, ratio, checks }) => ({
    name: scenario.name,
    method: scenario.method ?? 'GET',
    path: scenario.path,
    connections: scenario.connections ?? CONNECTIONS,
    target: scenario.target ?? {},
    firstResponse: preflight[scenario.name],
    ...m,
    ratio: Number(ratio.toFixed(4)),
    pass: checks.every((c) => c.pass),
  })),
  fees: feesMeasure,
  appliance: applianceMeasure,
  notes,
  targets,
  passed,
  failed,
  elapsedS: Number(elapsedS.toFixed(1)),
}
writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n')
console.log('bench: wrote bench/results.json')

/*
 * Scenarios measured by `npm run bench` (bench/run.ts), in this order, against the production
 * build started on a generated data set (migrations + `ace demo:seed`).
 *
 * Modules add their pages by appending an entry to `scenarios` below. Every scenario is measured
 * with autocannon on 127.0.0.1 (2 s warm-up, then 8 s measured, 50 connections unless
 * `connections` says otherwise) and compared with a bare `node:http` hello-world server
 * measured in the same run. Keep the list short: each entry adds about 10 s to the bench, and the
 * whole bench must stay under 3 minutes.
 *
 * Targets (all optional, each is printed with PASS/FAIL):
 * - `minRatio`: req/s of this scenario divided by bare node:http req/s must be at least this.
 * - `maxP99Ms`: the 99th percentile latency must be below this many milliseconds.
 * Any response whose status is not in `expectStatus` (default: any 2xx), and any socket
 * error or timeout, makes the scenario FAIL whatever its figures: a page that answers with
 * redirects or errors is not measuring the real page.
 */

export interface BenchTarget {
  /** Minimum share of bare node:http req/s measured in the same run (0.4 = 40 %). */
  minRatio?: number
  /** p99 latency must be strictly below this, in milliseconds. */
  maxP99Ms?: number
}

export interface BenchScenario {
  /** Short label printed in the table and used as the key in bench/results.json. */
  name: string
  /** Path on the app server, starting with a slash (the host is always 127.0.0.1). */
  path: string
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'
  headers?: Record<string, string>
  body?: string
  /** Concurrent connections; 50 when omitted. */
  connections?: number
  /** Status codes counted as good responses; when omitted, any 2xx. */
  expectStatus?: number[]
  target?: BenchTarget
}

export const scenarios: BenchScenario[] = [
  {
    name: 'health /up',
    path: '/up',
    target: { minRatio: 0.4 },
  },
  {
    name: 'public home /',
    path: '/',
    target: { minRatio: 0.2 },
  },
  {
    name: 'staff login /panel/logowanie',
    path: '/panel/logowanie',
    target: { maxP99Ms: 50 },
  },
]

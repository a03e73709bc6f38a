/*
 * Anonymous scenarios measured by `npm run bench` (bench/run.ts), in this order, against the
 * production build started on a generated data set (migrations, `ace demo:seed`, the fees data
 * set). The signed-in pages (realm shells and module pages) come from bench/signed_in.ts,
 * which signs in through the real login forms first.
 *
 * Every scenario is loaded twice with autocannon on 127.0.0.1, at 20 and then at 50 connections
 * (warm-up, then measured), and compared with a bare `node:http` hello-world server measured in
 * the same run. Keep the list short: each entry adds about 15 s to the bench.
 *
 * Targets (all optional, each is printed with PASS/FAIL; bench/gates.ts judges them):
 * - `minRatio`: req/s divided by bare node:http req/s, at `ratioAt` connections (default 50);
 * - `maxP99Ms`: the 99th percentile latency must be below this at `p99At` connections.
 * A signed-in page (`realm`) also gets the project's rule: ≥ 50 % of its realm shell's req/s
 * and p99 < 100 ms at 20 connections. Any response whose status is not in `expectStatus`
 * (default: any 2xx), and any socket error or timeout, makes the scenario FAIL whatever its
 * figures: a page that answers with redirects or errors is not measuring the real page.
 */
import type { BenchTarget, Realm } from './gates.js'

export interface BenchScenario {
  /** Short label printed in the table and used as the key in bench/results.json. */
  name: string
  /** Path on the app server, starting with a slash (the host is always 127.0.0.1). */
  path: string
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'
  headers?: Record<string, string>
  body?: string
  /** Status codes counted as good responses; when omitted, any 2xx. */
  expectStatus?: number[]
  /** The signed-in realm of the page (its cookie is in `headers`). */
  realm?: Realm
  /** The realm's shell page, the yardstick of the realm's other pages. */
  shell?: boolean
  /** Selects the scenario with BENCH_ONLY besides its name and path ('fees', 'signed-in'). */
  groups?: string[]
  target?: BenchTarget
}

export const scenarios: BenchScenario[] = [
  {
    name: 'health /up',
    path: '/up',
    target: { minRatio: 0.5 },
  },
  {
    name: 'public home /',
    path: '/',
    target: { minRatio: 0.2 },
  },
  {
    /* The rendering itself: the standard reload header makes the app skip its page cache. */
    name: 'public home / (no page cache)',
    path: '/',
    headers: { 'cache-control': 'no-cache' },
    target: { minRatio: 0.15 },
  },
  {
    name: 'staff login /panel/logowanie',
    path: '/panel/logowanie',
    target: { maxP99Ms: 50, p99At: 50 },
  },
]

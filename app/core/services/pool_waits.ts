/*
 * Waits for a database connection. Knex keeps its connections in a tarn pool
 * (one connection on SQLite, a few on PostgreSQL); when all are busy, a query
 * waits for one to come back. This counts such waits and the longest one since
 * the pool was watched, from the pool's own events: two cheap handlers per
 * acquire, nothing stored unless the acquire has to wait.
 */
import { performance } from 'node:perf_hooks'

/** The part of a tarn pool read here (min and max are public at run time, not in tarn's types). */
export interface TarnPool {
  min: number
  max: number
  numUsed(): number
  numFree(): number
  numPendingAcquires(): number
  numPendingCreates(): number
  on(event: 'acquireRequest', handler: (eventId: number) => void): void
  on(event: 'acquireSuccess' | 'acquireFail', handler: (eventId: number) => void): void
}

export interface PoolFigures {
  min: number
  max: number
  used: number
  free: number
  /** Queries waiting for a connection right now. */
  pendingAcquires: number
  pendingCreates: number
  /** Acquires since `watchedSince` that found every connection busy. */
  waitedAcquires: number
  longestWaitMs: number
  failedAcquires: number
  watchedSince: string
}

class PoolWatch {
  waited = 0
  failed = 0
  longestMs = 0
  readonly since = new Date()
  readonly #started = new Map<number, number>()

  constructor(
    readonly pool: TarnPool,
    clock: () => number
  ) {
    pool.on('acquireRequest', (eventId) => {
      if (pool.numFree() > 0 || pool.numUsed() + pool.numPendingCreates() < pool.max) return
      this.waited++
      this.#started.set(eventId, clock())
    })
    const settle = (eventId: number, failed: boolean) => {
      const started = this.#started.get(eventId)
      if (started === undefined) return
      this.#started.delete(eventId)
      if (failed) this.failed++
      this.longestMs = Math.max(this.longestMs, clock() - started)
    }
    pool.on('acquireSuccess', (eventId) => settle(eventId, false))
    pool.on('acquireFail', (eventId) => settle(eventId, true))
  }

  figures(): PoolFigures {
    const pool = this.pool
    return {
      min: pool.min,
      max: pool.max,
      used: pool.numUsed(),
      free: pool.numFree(),
      pendingAcquires: pool.numPendingAcquires(),
      pendingCreates: pool.numPendingCreates(),
      waitedAcquires: this.waited,
      longestWaitMs: Math.round(this.longestMs * 10) / 10,
      failedAcquires: this.failed,
      watchedSince: this.since.toISOString(),
    }
  }
}

/** Watches pools once each; a connection that is closed and reopened gets a new pool and a new watch. */
export class PoolWaits {
  readonly #watches = new WeakMap<TarnPool, PoolWatch>()

  constructor(private clock: () => number = () => performance.now()) {}

  watch(pool: TarnPool | undefined | null) {
    if (!pool || this.#watches.has(pool)) return
    this.#watches.set(pool, new PoolWatch(pool, this.clock))
  }

  /** The pool's figures, watching it from now on if it was not watched yet. */
  figures(pool: TarnPool | undefined | null): PoolFigures | null {
    if (!pool) return null
    this.watch(pool)
    return this.#watches.get(pool)!.figures()
  }
}

const poolWaits = new PoolWaits()
export default poolWaits

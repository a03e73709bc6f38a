import { statfs } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { HttpContext } from '@adonisjs/core/http'
import { commitHealth } from '#core/services/durable_commit'
import ratuszConfig from '#config/ratusz'

const FRESH_MS = 1000

/* Below this the database cannot grow its write-ahead log: commits start failing. */
const MIN_FREE_BYTES = 64 * 1024 ** 2

/**
 * Whether the database answers. Monitoring and load balancers poll /up many
 * times a second; concurrent checks share one query and a success is trusted
 * for a second. A failure is never cached: the next poll asks again. A failed COMMIT
 * turns it 503 until a commit succeeds again.
 */
class DatabaseHealth {
  #okAt = 0
  #pending: Promise<boolean> | null = null
  #diskOkAt = 0
  /** Free bytes the data disk must keep; tests raise it to see the full-disk answer. */
  minFreeBytes = MIN_FREE_BYTES

  /** Whether the data disk (RATUSZ_DATA) has room for writes; a yes is trusted for a second. */
  async diskHasRoom(now = Date.now()): Promise<boolean> {
    if (now - this.#diskOkAt < FRESH_MS) return true
    try {
      const disk = await statfs(ratuszConfig.dataDir)
      if (disk.bavail * disk.bsize < this.minFreeBytes) return false
    } catch {
      return false
    }
    this.#diskOkAt = now
    return true
  }

  async isUp(now = Date.now()): Promise<boolean> {
    if (now - this.#okAt < FRESH_MS) return true
    this.#pending ??= this.#probe().finally(() => {
      this.#pending = null
    })
    return this.#pending
  }

  async #probe(): Promise<boolean> {
    try {
      await db.rawQuery('SELECT 1')
      this.#okAt = Date.now()
      return true
    } catch {
      this.#okAt = 0
      return false
    }
  }

  /** The /up answer: 200 {"status":"ok"} or 503, never cached by a client or proxy. */
  async respond(response: HttpContext['response']) {
    response.header('Cache-Control', 'no-store')
    /* Reads may still work while the disk is full: the last commit failing says writes do not. */
    if (commitHealth.current())
      return response.serviceUnavailable({ status: 'unavailable', reason: 'writes' })
    if (!(await this.diskHasRoom()))
      return response.serviceUnavailable({ status: 'unavailable', reason: 'disk' })
    if (await this.isUp()) return response.ok({ status: 'ok' })
    return response.serviceUnavailable({ status: 'unavailable', reason: 'database' })
  }

  /** Forget the last success: the next check asks the database. */
  forget() {
    this.#okAt = 0
    this.#diskOkAt = 0
  }
}

const databaseHealth = new DatabaseHealth()
/* A connection that was closed or replaced has to prove itself again. */
emitter.on('db:connection:disconnect', () => databaseHealth.forget())
emitter.on('db:connection:error', () => databaseHealth.forget())
export default databaseHealth

import db from '@adonisjs/lucid/services/db'
import LimiterDatabaseStore from '@adonisjs/limiter/stores/database'
import type { LimiterResponse } from '@adonisjs/limiter'
import type { LimiterDatabaseStoreConfig, LimiterStoreContract } from '@adonisjs/limiter/types'

/*
 * The limiter caches one store per set of options for the life of the process,
 * and the stock database store keeps the query client it was built with. That
 * client is whatever `db.connection()` returned the first time: in production
 * the pool (fine), but inside a transaction-wrapped test it is that test's
 * transaction, which is gone (and its connection reaped) by the next test.
 *
 * This store asks Lucid for the current client on every call and keeps one
 * stock store per distinct write client, so the pool is still used once in
 * production and each test's transaction gets its own.
 */
export class ConnectionBoundLimiterStore implements LimiterStoreContract {
  readonly #config: LimiterDatabaseStoreConfig
  readonly #stores = new WeakMap<object, LimiterDatabaseStore>()

  constructor(config: LimiterDatabaseStoreConfig) {
    this.#config = config
  }

  #current(): LimiterDatabaseStore {
    const client = db.connection()
    const key = client.getWriteClient() as object
    let store = this.#stores.get(key)
    if (!store) {
      store = new LimiterDatabaseStore(client, this.#config)
      this.#stores.set(key, store)
    }
    return store
  }

  get name() {
    return 'database'
  }

  get requests() {
    return this.#current().requests
  }

  get duration() {
    return this.#current().duration
  }

  get blockDuration() {
    return this.#current().blockDuration
  }

  consume(key: string | number, amount?: number): Promise<LimiterResponse> {
    return this.#current().consume(key, amount)
  }

  increment(key: string | number, amount?: number): Promise<LimiterResponse> {
    return this.#current().increment(key, amount)
  }

  decrement(key: string | number, amount?: number): Promise<LimiterResponse> {
    return this.#current().decrement(key, amount)
  }

  block(key: string | number, duration: string | number): Promise<LimiterResponse> {
    return this.#current().block(key, duration)
  }

  set(key: string | number, requests: number, duration?: string | number) {
    return this.#current().set(key, requests, duration)
  }

  delete(key: string | number): Promise<boolean> {
    return this.#current().delete(key)
  }

  deleteInMemoryBlockedKeys() {
    this.#current().deleteInMemoryBlockedKeys()
  }

  clear(): Promise<void> {
    return this.#current().clear()
  }

  get(key: string | number): Promise<LimiterResponse | null> {
    return this.#current().get(key)
  }
}

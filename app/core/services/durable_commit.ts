import { createRequire } from 'node:module'

/**
 * A transaction whose COMMIT failed: nothing it wrote is in the database.
 * `cause` is the driver's error (SQLITE_FULL, SQLITE_IOERR, PostgreSQL 53100 …).
 */
export class CommitFailedError extends Error {
  readonly code = 'E_COMMIT_FAILED'
  readonly status = 503
  /** The driver's code of the failure, e.g. SQLITE_FULL or 53100. */
  readonly reason: string

  constructor(cause: unknown) {
    const reason = driverCode(cause)
    const message = cause instanceof Error ? cause.message : String(cause)
    super(`database commit failed (${reason}): ${message}`, { cause })
    this.reason = reason
  }
}

export function driverCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code ? code : 'unknown'
}

/* SQLite: the write lock stayed taken past busy_timeout. PostgreSQL: lock_not_available, deadlock. */
const BUSY_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
  '55P03',
  '40P01',
])

export function isDatabaseBusy(error: unknown): boolean {
  return BUSY_CODES.has(driverCode(error))
}

export interface CommitFailure {
  at: number
  reason: string
  message: string
}

type Listener = (failure: CommitFailure) => void
type RecoveryListener = (last: CommitFailure) => void

/*
 * Health reads these: the last failed commit and whether a commit has worked since.
 * Kept here, not in a service with imports, because knex calls in from below Lucid.
 */
const state: { lastFailure: CommitFailure | null; okSinceFailure: boolean } = {
  lastFailure: null,
  okSinceFailure: true,
}
const listeners = new Set<Listener>()
const recoveryListeners = new Set<RecoveryListener>()

export const commitHealth = {
  /** The last failed commit while no commit has succeeded since, else null. */
  current(): CommitFailure | null {
    return state.okSinceFailure ? null : state.lastFailure
  },
  last(): CommitFailure | null {
    return state.lastFailure
  },
  onFailure(listener: Listener) {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },
  /** Called once by the first commit that succeeds after failures. */
  onRecovery(listener: RecoveryListener) {
    recoveryListeners.add(listener)
    return () => recoveryListeners.delete(listener)
  },
  /** Tests only: forget a failure they caused. */
  reset() {
    state.lastFailure = null
    state.okSinceFailure = true
  },
}

function succeeded() {
  if (state.okSinceFailure) return
  state.okSinceFailure = true
  for (const listener of recoveryListeners) {
    try {
      listener(state.lastFailure!)
    } catch {}
  }
}

function failed(error: CommitFailedError) {
  state.lastFailure = { at: Date.now(), reason: error.reason, message: error.message }
  state.okSinceFailure = false
  for (const listener of listeners) {
    try {
      listener(state.lastFailure)
    } catch {}
  }
}

/*
 * Rolls back what a failed COMMIT left open. SQLite keeps the transaction open after a
 * COMMIT refused by a deferred constraint or SQLITE_BUSY, and a connection handed back to
 * the pool inside a transaction would swallow every later write on it. better-sqlite3
 * says whether one is open; PostgreSQL has always ended it and answers ROLLBACK with a warning.
 */
async function closeTransaction(client: any, conn: any) {
  try {
    if (typeof conn?.inTransaction === 'boolean') {
      if (conn.inTransaction) conn.exec('ROLLBACK')
      return
    }
    await client.query(conn, { sql: 'ROLLBACK', bindings: [] })
  } catch {}
  if (conn?.inTransaction === true) {
    /* Still open: never let the pool reuse this connection. */
    conn.__knex__disposed = new Error('transaction left open after a failed commit')
  }
}

let installed = false

/**
 * knex 3.3 resolves `trx.commit()` even when the COMMIT statement fails: the error only
 * rejects the transaction's own promise, which Lucid never awaits, so Lucid reported every
 * failed commit as done (and on SQLite left the connection inside the transaction). From
 * here on a failed COMMIT rejects `commit()` with a CommitFailedError, after the transaction
 * is closed, so `db.transaction(…)` throws and nothing claims success. Installed once per
 * process from config/database.ts, before any connection exists.
 */
export function installDurableCommit() {
  if (installed) return
  installed = true
  const require = createRequire(import.meta.url)
  /* The knex Lucid resolves, not a copy of our own. */
  const lucidRequire = createRequire(require.resolve('@adonisjs/lucid'))
  const Transaction = lucidRequire('knex/lib/execution/transaction.js')
  Transaction.prototype.commit = function commit(this: any, conn: any, value: unknown) {
    /* Started before _completed is set: the transaction's client refuses queries once completed. */
    const pending = this.trxClient.query(conn, 'COMMIT;')
    this._completed = true
    return pending.then(
      (response: unknown) => {
        succeeded()
        this._resolver(value)
        return response
      },
      async (error: unknown) => {
        await closeTransaction(this.client, conn)
        const failure = new CommitFailedError(error)
        failed(failure)
        this._rejecter(failure)
        throw failure
      }
    )
  }
}

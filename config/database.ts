import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'
import { dataDir } from '#config/ratusz'
import { installDurableCommit } from '#core/services/durable_commit'

/* A failed COMMIT throws instead of passing for done (knex 3.3 swallows it). */
installDurableCommit()

mkdirSync(dataDir, { recursive: true })

const migrations = { naturalSort: true, paths: ['database/migrations'] }

/* Statements kept per connection; knex prepares every query afresh, which was 8 % of a signed-in page. */
const STATEMENT_CACHE_SIZE = 500

/**
 * knex's better-sqlite3 client calls `prepare(sql)` for every query and runs it at once with
 * `all` or `run`: a statement is never in use by two queries, so one prepared statement per
 * SQL text can be reused (SQLite re-prepares it by itself after a schema change). The oldest
 * entry goes once the cache is full, so generated SQL (IN lists of any length) cannot grow it.
 */
function cacheStatements(conn: { prepare(sql: string): unknown }) {
  const prepare = conn.prepare.bind(conn)
  const statements = new Map<string, unknown>()
  conn.prepare = (sql: string) => {
    let statement = statements.get(sql)
    if (statement === undefined) {
      statement = prepare(sql)
      if (statements.size >= STATEMENT_CACHE_SIZE) {
        statements.delete(statements.keys().next().value!)
      }
      statements.set(sql, statement)
    }
    return statement
  }
}

/** WAL, foreign keys, a 5 s busy timeout and NORMAL sync on every SQLite connection (also backup copies). */
export function sqlitePragmas(conn: any, done: (error: Error | null, conn: any) => void) {
  try {
    conn.exec(
      'PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;'
    )
    cacheStatements(conn)
    done(null, conn)
  } catch (error) {
    done(error as Error, conn)
  }
}

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  connections: {
    sqlite: {
      /*
       * better-sqlite3 runs each query synchronously on the main thread: no trip through the
       * libuv pool (node-sqlite3 took three per query), 3.3× cheaper per page in the probe.
       * A query therefore blocks the event loop for its length: long reports and exports run
       * in the queue worker, never in a request.
       */
      client: 'better-sqlite3',
      connection: { filename: join(dataDir, 'ratusz.sqlite3') },
      useNullAsDefault: true,
      migrations,
      schemaGeneration: { enabled: false },
      pool: { afterCreate: sqlitePragmas },
    },
    pg: {
      client: 'pg',
      connection: {
        host: env.get('PG_HOST', '127.0.0.1'),
        port: env.get('PG_PORT', 5432),
        user: env.get('PG_USER', 'ratusz'),
        password: env.get('PG_PASSWORD'),
        database: env.get('PG_DB_NAME', 'ratusz'),
      },
      migrations,
      schemaGeneration: { enabled: false },
      pool: {
        afterCreate: (conn: any, done: (error: Error | null, conn: any) => void) => {
          conn.query('SET TIME ZONE UTC', (error: Error | null) => done(error, conn))
        },
      },
    },
  },
})

export default dbConfig

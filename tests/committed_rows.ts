import db from '@adonisjs/lucid/services/db'
import { commitHealth } from '#core/services/durable_commit'
import { disableAppendOnly, resetSharedState, restoreAppendOnly } from '#tests/helpers'

/*
 * Tests that need real COMMITs (a failing commit cannot be shown inside the per-test
 * transaction) note the newest id of every table first and remove what they added after.
 */
export type IdSnapshot = Map<string, number>

async function tablesWithId(): Promise<string[]> {
  const client = db.connection()
  if (client.dialect.name === 'postgres') {
    const result = await client.rawQuery(
      `SELECT c.table_name AS name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
        WHERE c.table_schema = 'public' AND c.column_name = 'id' AND t.table_type = 'BASE TABLE'
          AND c.data_type IN ('integer', 'bigint')`
    )
    return result.rows.map((row: { name: string }) => row.name)
  }
  const tables = await client.rawQuery(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
  )
  const named: string[] = []
  for (const { name } of tables as { name: string }[]) {
    const columns = await client.rawQuery(`PRAGMA table_info("${name}")`)
    if (
      (columns as { name: string; type: string }[]).some(
        (column) => column.name === 'id' && /int/i.test(column.type)
      )
    )
      named.push(name)
  }
  return named
}

export async function snapshotIds(): Promise<IdSnapshot> {
  const snapshot: IdSnapshot = new Map()
  for (const table of await tablesWithId()) {
    const row = await db.from(table).max('id as id').first()
    snapshot.set(table, Number(row?.id ?? 0))
  }
  return snapshot
}

/**
 * A group hook for tests that commit for real: shared state and commit health reset, and
 * every row the test committed removed afterwards (after `cleanup`, e.g. removing a fault).
 */
export function committingForReal(cleanup: () => Promise<void> = async () => {}) {
  return async () => {
    const snapshot = await snapshotIds()
    await resetSharedState()
    commitHealth.reset()
    return async () => {
      await cleanup()
      await removeRowsAfter(snapshot)
      await resetSharedState()
      commitHealth.reset()
    }
  }
}

/** Deletes every row added since the snapshot, foreign keys and append-only triggers aside. */
export async function removeRowsAfter(snapshot: IdSnapshot) {
  const client = db.connection()
  await db.from('auth_sessions').where('id', 'like', 'test-%').delete()
  if (client.dialect.name === 'postgres') {
    await db.transaction(async (trx) => {
      await trx.rawQuery('SET LOCAL session_replication_role = replica')
      for (const [table, id] of snapshot) await trx.from(table).where('id', '>', id).delete()
    })
    return
  }
  await client.rawQuery('PRAGMA foreign_keys = OFF')
  await disableAppendOnly()
  try {
    for (const [table, id] of snapshot) await db.from(table).where('id', '>', id).delete()
  } finally {
    await restoreAppendOnly()
    await client.rawQuery('PRAGMA foreign_keys = ON')
  }
}

/**
 * Counts rows through a connection of its own, as a restarted process would: a connection
 * left inside a transaction by the app cannot make uncommitted rows look saved.
 */
export async function committedCount(table: string, where: Record<string, string | number>) {
  const client = db.connection()
  const config = client.getWriteClient().client.config.connection as Record<string, any>
  const columns = Object.keys(where)
  if (client.dialect.name === 'postgres') {
    const { default: pg } = await import('pg')
    const other = new pg.Client(config)
    await other.connect()
    try {
      const clause = columns.map((column, i) => `${column} = $${i + 1}`).join(' AND ')
      const result = await other.query(
        `SELECT count(*) AS total FROM ${table} WHERE ${clause}`,
        columns.map((column) => where[column])
      )
      return Number(result.rows[0].total)
    } finally {
      await other.end()
    }
  }
  const { default: Database } = await import('better-sqlite3')
  const other = new Database(config.filename, { readonly: true })
  try {
    const clause = columns.map((column) => `${column} = ?`).join(' AND ')
    const row = other
      .prepare(`SELECT count(*) AS total FROM ${table} WHERE ${clause}`)
      .get(...columns.map((column) => where[column])) as { total: number }
    return Number(row.total)
  } finally {
    other.close()
  }
}

import db from '@adonisjs/lucid/services/db'
import { disableAppendOnly, restoreAppendOnly } from '#tests/helpers'

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

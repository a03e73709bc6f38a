/*
 * Table listing, row counts and content checksums on any Lucid connection (the live one
 * or an extra one opened on a backup copy or the other database), shared by backups,
 * the restore drill and the database switch.
 */
import { createHash } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/** Tables that belong to the database engine or the migrator's lock, not to Ratusz. */
const SKIPPED = new Set(['adonis_schema_lock'])

export type Dialect = 'sqlite' | 'pg'

export function dialectOf(client: QueryClientContract): Dialect {
  return client.dialect.name === 'postgres' ? 'pg' : 'sqlite'
}

export async function listTables(client: QueryClientContract): Promise<string[]> {
  const rows =
    dialectOf(client) === 'pg'
      ? await client
          .from('information_schema.tables')
          .where('table_schema', 'public')
          .where('table_type', 'BASE TABLE')
          .select('table_name as name')
      : await client
          .from('sqlite_master')
          .where('type', 'table')
          .whereNot('name', 'like', 'sqlite_%')
          .select('name')
  return rows
    .map((r: { name: string }) => r.name)
    .filter((name: string) => !SKIPPED.has(name))
    .sort()
}

export async function countRows(
  client: QueryClientContract,
  tables?: string[]
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of tables ?? (await listTables(client))) {
    const row = await client.from(table).count('* as total').first()
    counts[table] = Number(row?.total ?? 0)
  }
  return counts
}

/** Columns of a table in their defined order. */
export async function columnsOf(client: QueryClientContract, table: string): Promise<string[]> {
  if (dialectOf(client) === 'pg') {
    const rows = await client
      .from('information_schema.columns')
      .where('table_schema', 'public')
      .where('table_name', table)
      .orderBy('ordinal_position')
      .select('column_name as name')
    return rows.map((r: { name: string }) => r.name)
  }
  const result = await client.rawQuery(`PRAGMA table_info("${table.replaceAll('"', '""')}")`)
  return (result as { name: string }[]).map((r) => r.name)
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])])
    )
  }
  return value
}

/**
 * A value written the same way whatever the engine returned: booleans and 0/1, dates and
 * ISO strings, bigint strings and numbers must hash alike on SQLite and PostgreSQL.
 */
export function canonical(value: unknown): string {
  if (value === null || value === undefined) return '\u0000'
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (value instanceof Date) return value.toISOString()
  if (Buffer.isBuffer(value)) return `b:${value.toString('base64')}`
  if (typeof value === 'object') return JSON.stringify(sortKeys(value))
  const text = String(value)
  if (/^-?\d+(\.\d+)?$/.test(text)) return String(Number(text))
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return `${text}T00:00:00.000Z`
  // jsonb reorders keys: compare JSON by content, keys sorted.
  if (/^[[{]/.test(text)) {
    try {
      return JSON.stringify(sortKeys(JSON.parse(text)))
    } catch {
      return text
    }
  }
  const date = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]00(:?00)?)?$/.exec(text)
  if (date) return new Date(`${date[1]}T${date[2]}${date[3] ?? ''}Z`).toISOString()
  return text
}

/** SHA-256 over every row (ordered by all columns of the first ones: the key) in canonical form. */
export async function tableChecksum(
  client: QueryClientContract,
  table: string,
  columns?: string[],
  normalize: (column: string, value: unknown) => unknown = (_, value) => value
): Promise<string> {
  const cols = columns ?? (await columnsOf(client, table))
  const hash = createHash('sha256')
  const pageSize = 5000
  const rows: string[] = []
  let offset = 0
  for (;;) {
    const page = await client
      .from(table)
      .select(cols)
      .orderBy(cols.map((column) => ({ column })))
      .limit(pageSize)
      .offset(offset)
    for (const row of page) {
      rows.push(cols.map((c) => canonical(normalize(c, row[c]))).join('\u0001'))
    }
    if (page.length < pageSize) break
    offset += pageSize
  }
  // Sorted in JavaScript: the engines order text differently (collations).
  rows.sort()
  for (const row of rows) hash.update(row).update('\u0002')
  return hash.digest('hex')
}

/** Opens an extra SQLite connection on a file (a backup copy), runs fn, closes it. */
export async function withSqliteFile<T>(
  filename: string,
  fn: (client: QueryClientContract) => Promise<T>
): Promise<T> {
  const name = `appliance_file_${process.pid}_${Date.now()}`
  db.manager.add(name, {
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  })
  try {
    return await fn(db.connection(name))
  } finally {
    await db.manager.close(name, true)
  }
}

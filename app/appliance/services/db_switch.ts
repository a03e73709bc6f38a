/*
 * Moves every table between SQLite and PostgreSQL. The target gets the schema from the
 * migrations, then all rows are copied in one transaction (parents before children),
 * row counts and per-table checksums are compared inside that transaction, PostgreSQL
 * sequences are moved past the copied ids, and only then is it committed.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import {
  columnsOf,
  countRows,
  dialectOf,
  listTables,
  tableChecksum,
} from '#appliance/services/db_tables'

/** Filled by the migrator itself on the target; replaced by the source's rows. */
const MIGRATOR_TABLES = new Set(['adonis_schema', 'adonis_schema_versions'])

export interface SwitchReport {
  from: string
  to: string
  tables: { name: string; rows: number; checksum: string }[]
  durationMs: number
}

export class SwitchError extends Error {}

function pad(n: number, width = 2) {
  return String(n).padStart(width, '0')
}

/** PostgreSQL values in the form Lucid writes them to SQLite. */
function toSqlite(value: unknown, pgType: string | undefined): unknown {
  if (value instanceof Date) {
    const d = value
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
    if (pgType === 'date') return date
    const ms = d.getUTCMilliseconds()
    return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`
  }
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return JSON.stringify(value)
  }
  return value
}

const isTime = (type: string | undefined) =>
  !!type && (type === 'date' || type.startsWith('timestamp'))

/**
 * SQLite keeps some timestamps as epoch milliseconds (a Date bound by the driver): typed
 * by the PostgreSQL column, they are the same instant.
 */
function asTyped(value: unknown, pgType: string | undefined): unknown {
  if (
    isTime(pgType) &&
    (typeof value === 'number' || (typeof value === 'string' && /^\d{10,}$/.test(value)))
  ) {
    return new Date(Number(value))
  }
  if (pgType === 'boolean' && typeof value === 'number') return value !== 0
  return value
}

async function pgTypes(client: QueryClientContract, table: string) {
  const rows = await client
    .from('information_schema.columns')
    .where('table_schema', 'public')
    .where('table_name', table)
    .select('column_name', 'data_type')
  return new Map<string, string>(rows.map((r: any) => [r.column_name, r.data_type]))
}

/** Tables ordered so that every table comes after the tables its foreign keys point to. */
async function dependencyOrder(sqlite: QueryClientContract, tables: string[]) {
  const deps = new Map<string, Set<string>>()
  for (const table of tables) {
    const fks = (await sqlite.rawQuery(
      `PRAGMA foreign_key_list("${table.replaceAll('"', '""')}")`
    )) as { table: string }[]
    deps.set(
      table,
      new Set(fks.map((f) => f.table).filter((t) => t !== table && tables.includes(t)))
    )
  }
  const ordered: string[] = []
  const visiting = new Set<string>()
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return
    visiting.add(table)
    for (const dep of deps.get(table) ?? []) visit(dep)
    visiting.delete(table)
    ordered.push(table)
  }
  for (const table of tables) visit(table)
  return ordered
}

export async function switchDatabase(
  targetName: 'pg' | 'sqlite',
  options: {
    envFile?: string
    log?: (line: string) => void
    migrate: () => Promise<void>
    /** Undo the migrations on the target when the copy fails, so a retry finds it empty. */
    unmigrate: () => Promise<void>
  }
): Promise<SwitchReport> {
  const started = Date.now()
  const source = db.connection()
  const sourceName = source.connectionName
  if (sourceName === targetName) {
    throw new SwitchError(`Ratusz already runs on ${targetName} (DB_CONNECTION=${sourceName}).`)
  }
  const target = db.connection(targetName)
  const log = options.log ?? (() => {})

  // Refuse a target that holds anything: the switch never merges.
  for (const [table, rows] of Object.entries(await countRows(target))) {
    if (rows > 0 && !MIGRATOR_TABLES.has(table)) {
      throw new SwitchError(
        `The target database (${targetName}) is not empty: table ${table} has ${rows} row(s). Use an empty database.`
      )
    }
  }
  await options.migrate()

  const sourceTables = await listTables(source)
  const targetTables = new Set(await listTables(target))
  const missing = sourceTables.filter((t) => !targetTables.has(t))
  if (missing.length) {
    throw new SwitchError(`Tables missing in the target after migrations: ${missing.join(', ')}`)
  }
  const sqliteSide = dialectOf(source) === 'sqlite' ? source : target
  const pgSide = dialectOf(source) === 'pg' ? source : target
  const order = await dependencyOrder(sqliteSide, sourceTables)
  const report: SwitchReport = { from: sourceName, to: targetName, tables: [], durationMs: 0 }

  try {
    await copyAll()
  } catch (error) {
    await options.unmigrate().catch(() => {})
    throw error
  }

  async function copyAll() {
    await target.transaction(async (trx) => {
      if (dialectOf(target) === 'sqlite') await trx.rawQuery('PRAGMA defer_foreign_keys = ON')
      // Children first: migrations may have filled some tables (rates, settings).
      for (const table of [...order].reverse()) {
        const row = await trx.from(table).count('* as total').first()
        if (Number(row?.total ?? 0) > 0) await trx.from(table).delete()
      }
      for (const table of order) {
        const columns = await columnsOf(source, table)
        const types = await pgTypes(pgSide, table)
        const convert =
          dialectOf(target) === 'sqlite'
            ? (c: string, v: unknown) => toSqlite(v, types.get(c))
            : (c: string, v: unknown) => asTyped(v, types.get(c))
        const batch = Math.max(1, Math.floor(900 / columns.length))
        let offset = 0
        for (;;) {
          const rows = await source
            .from(table)
            .select(columns)
            .orderBy(columns.map((column) => ({ column })))
            .limit(5000)
            .offset(offset)
          if (!rows.length) break
          const converted = rows.map((r: Record<string, unknown>) =>
            Object.fromEntries(columns.map((c) => [c, convert(c, r[c])]))
          )
          for (let i = 0; i < converted.length; i += batch) {
            await trx
              .insertQuery()
              .table(table)
              .multiInsert(converted.slice(i, i + batch))
          }
          offset += rows.length
          if (rows.length < 5000) break
        }
        const [sourceCount, targetCount] = await Promise.all([
          source.from(table).count('* as total').first(),
          trx.from(table).count('* as total').first(),
        ])
        const rows = Number(sourceCount?.total ?? 0)
        if (rows !== Number(targetCount?.total ?? 0)) {
          throw new SwitchError(
            `Table ${table}: ${rows} rows in ${sourceName}, ${targetCount?.total} copied. Nothing was changed.`
          )
        }
        const normalize = (c: string, v: unknown) => asTyped(v, types.get(c))
        const a = await tableChecksum(source, table, columns, normalize)
        const b = await tableChecksum(trx, table, columns, normalize)
        if (a !== b) {
          throw new SwitchError(
            `Table ${table}: the checksums differ after copying. Nothing was changed.`
          )
        }
        report.tables.push({ name: table, rows, checksum: a })
        log(`${table.padEnd(32)} ${String(rows).padStart(8)} rows  ${a.slice(0, 12)}`)
      }
      if (dialectOf(target) === 'pg') {
        const serials = await trx
          .from('information_schema.columns')
          .where('table_schema', 'public')
          .where('column_default', 'like', 'nextval(%')
          .select('table_name', 'column_name')
        for (const { table_name: table, column_name: column } of serials) {
          await trx.rawQuery(
            `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(??) FROM ??), 0) + 1, false)`,
            [table, column, column, table]
          )
        }
      }
    })
  }

  if (options.envFile && existsSync(options.envFile)) {
    const text = await readFile(options.envFile, 'utf8')
    const updated = /^DB_CONNECTION=.*$/m.test(text)
      ? text.replace(/^DB_CONNECTION=.*$/m, `DB_CONNECTION=${targetName}`)
      : `${text.replace(/\n?$/, '\n')}DB_CONNECTION=${targetName}\n`
    await writeFile(options.envFile, updated)
  }
  report.durationMs = Date.now() - started
  return report
}

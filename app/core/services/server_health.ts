/*
 * The administrator's /up?deep=1: what a part-time IT person needs to tell a slow
 * server from a stuck one. Event-loop delay (is the web process blocked?), the
 * database pool (are queries queueing for a connection?), the job queue (is the
 * worker keeping up?) and the process itself. Read only; nothing here runs for plain /up.
 */
import { performance } from 'node:perf_hooks'
import db from '@adonisjs/lucid/services/db'
import type { HttpContext } from '@adonisjs/core/http'
import eventLoopMonitor from '#core/services/event_loop_monitor'
import poolWaits, { type TarnPool } from '#core/services/pool_waits'

/** The jobs table of @adonisjs/queue's database adapter (config/queue.ts). */
const JOBS_TABLE = 'queue_jobs'
/** The adapter orders waiting jobs by priority × 10^13 + the time they became ready (ms). */
const PRIORITY_SCORE_MULTIPLIER = 10_000_000_000_000
/** The limit `ratusz doctor` warns above. */
export const EVENT_LOOP_P99_LIMIT_MS = 50

const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10

/** Whether the request asks for the deep variant: `?deep=1` (or `?deep=true`). */
export function wantsDeepHealth(request: HttpContext['request']) {
  const deep = request.qs().deep
  return deep === '1' || deep === 'true'
}

/**
 * The primary connection's tarn pool: knex keeps it at client.pool (one connection
 * on SQLite). Read from the connection manager, not db.connection(), which inside
 * a (global) transaction is the transaction's client without a pool.
 */
export function primaryPool(): TarnPool | null {
  const connection = db.manager.get(db.primaryConnectionName)?.connection
  const knex = connection?.client as unknown as { client?: { pool?: TarnPool } } | undefined
  return knex?.client?.pool ?? null
}

async function database() {
  const connection = db.connection()
  const client = (
    connection.getWriteClient() as unknown as { client: { config: { client: string } } }
  ).client.config.client
  const started = performance.now()
  let up = true
  try {
    await connection.rawQuery('SELECT 1')
  } catch {
    up = false
  }
  return {
    up,
    connection: connection.connectionName,
    client,
    latencyMs: up ? Math.round((performance.now() - started) * 10) / 10 : null,
    pool: poolWaits.figures(primaryPool()),
  }
}

/** Jobs by state; waiting means ready to run now (queued, or a retry whose time has come). */
async function queue(now: number) {
  const rows: {
    status: string
    total: number | string
    due: number | string | null
    since: number | string | null
  }[] = await db
    .from(JOBS_TABLE)
    .select('status')
    .count('* as total')
    .select(
      db.raw(`SUM(CASE WHEN status = 'delayed' AND execute_at <= ? THEN 1 ELSE 0 END) AS due`, [
        now,
      ]),
      db.raw(
        `MIN(CASE WHEN status = 'pending' THEN score % ? WHEN status = 'delayed' AND execute_at <= ? THEN execute_at END) AS since`,
        [PRIORITY_SCORE_MULTIPLIER, now]
      )
    )
    .groupBy('status')
  const of = (status: string) => rows.find((row) => row.status === status)
  const pending = Number(of('pending')?.total ?? 0)
  const due = Number(of('delayed')?.due ?? 0)
  const since = rows
    .map((row) => (row.since === null ? null : Number(row.since)))
    .filter((value): value is number => value !== null)
  return {
    waiting: pending + due,
    scheduled: Number(of('delayed')?.total ?? 0) - due,
    running: Number(of('active')?.total ?? 0),
    failed: Number(of('failed')?.total ?? 0),
    oldestWaitingSeconds: since.length
      ? Math.max(0, Math.round((now - Math.min(...since)) / 1000))
      : null,
  }
}

export async function serverHealthReport(now = Date.now()) {
  const databaseFigures = await database()
  const memory = process.memoryUsage()
  return {
    status: databaseFigures.up ? ('ok' as const) : ('unavailable' as const),
    checkedAt: new Date(now).toISOString(),
    eventLoop: {
      limitP99Ms: EVENT_LOOP_P99_LIMIT_MS,
      ...(eventLoopMonitor.summary(now) ?? { monitor: 'not running in this process' }),
    },
    database: databaseFigures,
    queue: databaseFigures.up ? await queue(now) : null,
    process: {
      pid: process.pid,
      node: process.version,
      uptimeSeconds: Math.round(process.uptime()),
      rssMb: mb(memory.rss),
      heapUsedMb: mb(memory.heapUsed),
    },
  }
}

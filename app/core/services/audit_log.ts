import { createHash } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract, QueryClientContract } from '@adonisjs/lucid/types/database'
import type { HttpContext } from '@adonisjs/core/http'

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditActor {
  realm: 'staff' | 'resident' | 'system' | 'anonymous'
  id: number | null
  label: string
}

export interface AuditInput {
  actor: AuditActor
  action: string
  subjectType?: string | null
  subjectId?: string | number | null
  ip?: string | null
  details?: Record<string, unknown>
}

export interface AuditRow {
  id: number | string
  occurred_at: string
  actor_realm: string
  actor_id: number | null
  actor_label: string
  action: string
  subject_type: string | null
  subject_id: string | null
  ip: string | null
  details: string
  prev_hash: string
  hash: string
}

export interface ChainBreak {
  id: number
  reason: string
}

/* Never stored in the audit log, whatever a caller passes. */
const SECRET_KEYS = /pass|token|secret|pesel|code|otp/i

/** What is stored of a caller's details: secrets dropped, dates as ISO text. */
export function scrubDetails(details: Record<string, unknown>): Record<string, unknown> {
  const clean: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(details)) {
    if (SECRET_KEYS.test(key)) continue
    clean[key] = scrubValue(value)
  }
  return clean
}

/* Objects inside arrays are scrubbed too: [{ pesel: … }] must not slip through. */
function scrubValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubValue)
  /* Dates and Luxon DateTimes keep their value (as ISO text) instead of becoming {}. */
  if (value instanceof Date) return value.toISOString()
  if (
    value &&
    typeof value === 'object' &&
    typeof (value as { toISO?: unknown }).toISO === 'function'
  ) {
    return (value as { toISO(): string }).toISO()
  }
  return value && typeof value === 'object' ? scrubDetails(value as Record<string, unknown>) : value
}

export function entryHash(
  prevHash: string,
  row: Omit<AuditRow, 'id' | 'hash' | 'prev_hash'>
): string {
  const canonical = JSON.stringify([
    row.occurred_at,
    row.actor_realm,
    row.actor_id === null ? null : Number(row.actor_id),
    row.actor_label,
    row.action,
    row.subject_type,
    row.subject_id,
    row.ip,
    row.details,
  ])
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex')
}

/** Builds the actor from whoever is logged in on this request. */
export function actorFrom(ctx: HttpContext): AuditActor {
  const staff = ctx.auth?.use('staff').user
  if (staff) return { realm: 'staff', id: staff.id, label: staff.login }
  const resident = ctx.auth?.use('resident').user
  if (resident) return { realm: 'resident', id: resident.id, label: resident.email }
  return { realm: 'anonymous', id: null, label: 'anonim' }
}

/** Who acts and from where, for a service that writes its audit entry in its own transaction. */
export type AuditContext = Pick<AuditInput, 'actor' | 'ip'>

export function auditContextFrom(ctx: HttpContext): AuditContext {
  return { actor: actorFrom(ctx), ip: ctx.request.ip() }
}

export const SYSTEM_ACTOR: AuditActor = { realm: 'system', id: null, label: 'system' }

/**
 * Append-only audit trail with a SHA-256 hash chain: each entry's hash covers
 * the previous entry's hash, so changing or removing any row breaks the chain
 * from that row on. The unique prev_hash column stops two writers from forking it.
 */
export class AuditLog {
  async record(input: AuditInput, trx?: TransactionClientContract): Promise<void> {
    if (trx) return this.#append(input, trx)
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction((tx) => this.#append(input, tx))
      } catch (error) {
        if (attempt >= 5 || !isConflict(error)) throw error
      }
    }
  }

  /**
   * The entry of a change, written in the change's own transaction so both commit or neither
   * does; nothing when no one is named (imports, demo data audit elsewhere).
   */
  async recordFor(
    context: AuditContext | undefined,
    entry: Omit<AuditInput, 'actor' | 'ip'>,
    trx: TransactionClientContract
  ): Promise<void> {
    if (context) await this.#append({ ...context, ...entry }, trx)
  }

  async recordFromRequest(
    ctx: HttpContext,
    input: Omit<AuditInput, 'actor' | 'ip'> & { actor?: AuditActor },
    trx?: TransactionClientContract
  ) {
    return this.record(
      { ...input, actor: input.actor ?? actorFrom(ctx), ip: ctx.request.ip() },
      trx
    )
  }

  async #append(input: AuditInput, trx: TransactionClientContract) {
    if (trx.dialect.name === 'postgres') {
      await trx.rawQuery('SELECT pg_advisory_xact_lock(727001)')
    }
    const last = await trx.from('audit_entries').select('hash').orderBy('id', 'desc').first()
    const prevHash: string = last?.hash ?? GENESIS_HASH
    const row = {
      occurred_at: new Date().toISOString(),
      actor_realm: input.actor.realm,
      actor_id: input.actor.id,
      actor_label: input.actor.label.slice(0, 200),
      action: input.action,
      subject_type: input.subjectType ?? null,
      subject_id:
        input.subjectId === undefined || input.subjectId === null ? null : String(input.subjectId),
      ip: input.ip ?? null,
      details: JSON.stringify(scrubDetails(input.details ?? {})),
    }
    await trx
      .table('audit_entries')
      .insert({ ...row, prev_hash: prevHash, hash: entryHash(prevHash, row) })
  }

  /** Walks the chain in order and returns the first broken link, or null when intact. */
  async verify(
    client: QueryClientContract = db.connection()
  ): Promise<{ checked: number; broken: ChainBreak | null }> {
    let prevHash = GENESIS_HASH
    let lastId = 0
    let checked = 0
    for (;;) {
      const rows: AuditRow[] = await client
        .from('audit_entries')
        .where('id', '>', lastId)
        .orderBy('id', 'asc')
        .limit(1000)
      if (rows.length === 0) return { checked, broken: null }
      for (const row of rows) {
        const id = Number(row.id)
        if (row.prev_hash !== prevHash) {
          return {
            checked,
            broken: {
              id,
              reason:
                'previous hash does not match the entry before it (a row was removed or reordered)',
            },
          }
        }
        if (entryHash(prevHash, row) !== row.hash) {
          return {
            checked,
            broken: { id, reason: 'content does not match its hash (the row was changed)' },
          }
        }
        prevHash = row.hash
        lastId = id
        checked++
      }
    }
  }
}

function isConflict(error: unknown): boolean {
  const text = String((error as Error)?.message ?? error)
  return /UNIQUE|unique|SQLITE_BUSY|duplicate key/.test(text)
}

const auditLog = new AuditLog()
export default auditLog

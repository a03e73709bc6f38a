import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { sqlTimestamp } from '#core/services/db_time'

export interface InboxMessageInput {
  residentId: number
  subject: string
  body: string
  /** A path inside the portal (e.g. /konto/podatki/12) the message points to. */
  link?: string | null
  /** Same key, same message: a retried batch never writes twice. */
  idempotencyKey?: string | null
}

export interface InboxMessage {
  id: number
  residentId: number
  subject: string
  body: string
  link: string | null
  /** ISO instants (UTC). */
  readAt: string | null
  createdAt: string
}

export class InboxError extends Error {
  constructor(
    message: string,
    readonly field: string
  ) {
    super(message)
  }
}

/* Stored in UTC (the process runs in UTC); handed out as ISO instants for formatDate. */
function instant(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  return `${String(value).replace(' ', 'T')}Z`
}

function toMessage(row: any): InboxMessage {
  return {
    id: Number(row.id),
    residentId: Number(row.resident_id),
    subject: row.subject,
    body: row.body,
    link: row.link,
    readAt: instant(row.read_at),
    createdAt: instant(row.created_at)!,
  }
}

/* Only paths inside this site: a message must never send a resident elsewhere. */
function safeLink(link: string | null | undefined): string | null {
  if (!link) return null
  if (!link.startsWith('/') || link.startsWith('//') || link.includes('\\'))
    throw new InboxError('Łącze w wiadomości musi prowadzić do strony e-BOK.', 'link')
  return link
}

/**
 * Messages the office leaves in a resident's e-BOK account (reminders,
 * decisions, answers). Every read is scoped to the resident, so another
 * resident's message id finds nothing.
 */
export const residentInbox = {
  async send(input: InboxMessageInput, trx?: TransactionClientContract): Promise<InboxMessage> {
    const client = trx ?? db.connection()
    const subject = input.subject.trim()
    if (!subject) throw new InboxError('Wiadomość musi mieć temat.', 'subject')
    if (subject.length > 200)
      throw new InboxError('Temat wiadomości może mieć najwyżej 200 znaków.', 'subject')
    if (!input.body.trim()) throw new InboxError('Wiadomość musi mieć treść.', 'body')
    const link = safeLink(input.link)
    if (input.idempotencyKey) {
      const existing = await client
        .from('resident_messages')
        .where('idempotency_key', input.idempotencyKey)
        .first()
      if (existing) return toMessage(existing)
    }
    const [inserted] = await client
      .table('resident_messages')
      .insert({
        resident_id: input.residentId,
        subject,
        body: input.body,
        link,
        idempotency_key: input.idempotencyKey || null,
        read_at: null,
        created_at: sqlTimestamp(),
      })
      .returning('id')
    const id = Number(typeof inserted === 'object' ? inserted.id : inserted)
    return toMessage(await client.from('resident_messages').where('id', id).firstOrFail())
  },

  /** Newest first, one page at a time. */
  async list(
    residentId: number,
    page = 1,
    perPage = 20
  ): Promise<{ messages: InboxMessage[]; total: number; page: number; lastPage: number }> {
    const countRow = await db
      .from('resident_messages')
      .where('resident_id', residentId)
      .count('* as total')
      .first()
    const total = Number(countRow?.total ?? 0)
    const lastPage = Math.max(1, Math.ceil(total / perPage))
    const current = Math.min(Math.max(1, Math.floor(page) || 1), lastPage)
    const rows = await db
      .from('resident_messages')
      .where('resident_id', residentId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(perPage)
      .offset((current - 1) * perPage)
    return { messages: rows.map(toMessage), total, page: current, lastPage }
  },

  /** One message of this resident; null for another resident's message. */
  async find(residentId: number, id: number): Promise<InboxMessage | null> {
    const row = await db.from('resident_messages').where({ id, resident_id: residentId }).first()
    return row ? toMessage(row) : null
  },

  /** Marks a message read; false when it is not this resident's message. */
  async markRead(residentId: number, id: number): Promise<boolean> {
    const message = await this.find(residentId, id)
    if (!message) return false
    if (!message.readAt)
      await db
        .from('resident_messages')
        .where({ id, resident_id: residentId })
        .whereNull('read_at')
        .update({ read_at: sqlTimestamp() })
    return true
  },

  async unreadCount(residentId: number): Promise<number> {
    const row = await db
      .from('resident_messages')
      .where('resident_id', residentId)
      .whereNull('read_at')
      .count('* as total')
      .first()
    return Number(row?.total ?? 0)
  },
}

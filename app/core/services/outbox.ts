import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import OutboxMessage from '#core/models/outbox_message'
import { sqlTimestamp } from '#core/services/db_time'
import ratuszConfig from '#config/ratusz'

export const MAX_ATTEMPTS = 5

export interface EmailInput {
  to: string
  subject: string
  text: string
  html?: string
  /** Same key, same message: a retried request never sends twice. */
  idempotencyKey: string
  related?: { type: string; id: string | number }
}

/** Minutes to wait before attempt n+1: 1, 5, 15, 60. */
function backoffMinutes(attempts: number): number {
  return [1, 5, 15, 60][Math.min(attempts - 1, 3)]
}

/**
 * Every outgoing message is first a row here; a queue job delivers it. In demo
 * and development mode ("capture") nothing leaves the server: messages wait
 * for staff to read them on the outbox page.
 */
export class Outbox {
  mode: 'capture' | 'smtp' = ratuszConfig.mailMode as 'capture' | 'smtp'

  async enqueueEmail(input: EmailInput, trx?: TransactionClientContract): Promise<OutboxMessage> {
    const existing = await OutboxMessage.query({ client: trx })
      .where('idempotency_key', input.idempotencyKey)
      .first()
    if (existing) return existing
    const message = await OutboxMessage.create(
      {
        channel: 'email',
        idempotencyKey: input.idempotencyKey,
        recipient: input.to,
        subject: input.subject,
        bodyText: input.text,
        bodyHtml: input.html ?? null,
        status: 'pending',
        attempts: 0,
        relatedType: input.related?.type ?? null,
        relatedId: input.related ? String(input.related.id) : null,
      },
      { client: trx }
    )
    const dispatch = () => this.dispatch(message.id)
    if (trx) trx.after('commit', dispatch)
    else await dispatch()
    return message
  }

  async dispatch(id: number) {
    const { default: SendOutboxMessageJob } = await import('#core/jobs/send_outbox_message_job')
    try {
      await SendOutboxMessageJob.dispatch({ id }).run()
    } catch (error) {
      /* The retry schedule picks the row up again; the request must not fail for it. */
      logger.error({ err: error, outboxId: id }, 'could not queue outbox message')
    }
  }

  /** Delivers one message. Safe to call twice: only a pending row is claimed. */
  async deliver(id: number): Promise<OutboxMessage | null> {
    const claimed = await db
      .from('outbox_messages')
      .where('id', id)
      .where('status', 'pending')
      .update({ status: 'sending', updated_at: sqlTimestamp() })
    const message = await OutboxMessage.find(id)
    if (!message || Number(claimed) === 0) return message
    if (this.mode === 'capture') {
      message.merge({ status: 'captured', attempts: message.attempts + 1 })
      await message.save()
      return message
    }
    try {
      const response = await mail.use('smtp').send((envelope) => {
        envelope.to(message.recipient).subject(message.subject).text(message.bodyText)
        if (message.bodyHtml) envelope.html(message.bodyHtml)
      })
      message.merge({
        status: 'sent',
        attempts: message.attempts + 1,
        sentAt: DateTime.now(),
        lastError: null,
        providerId: response?.messageId ?? null,
      })
    } catch (error) {
      const attempts = message.attempts + 1
      const failed = attempts >= MAX_ATTEMPTS
      message.merge({
        attempts,
        status: failed ? 'failed' : 'pending',
        lastError: String((error as Error).message ?? error).slice(0, 2000),
        nextAttemptAt: failed ? null : DateTime.now().plus({ minutes: backoffMinutes(attempts) }),
      })
      logger.warn({ outboxId: id, attempts }, 'e-mail delivery failed')
    }
    await message.save()
    return message
  }

  /** Rows left "sending" for over 10 minutes by a crashed worker go back to pending. */
  async releaseStale(now = DateTime.now()) {
    await db
      .from('outbox_messages')
      .where('status', 'sending')
      .where('updated_at', '<', sqlTimestamp(now.minus({ minutes: 10 })))
      .update({ status: 'pending' })
  }

  /** Pending rows whose retry time has come (and rows left "sending" by a crashed worker). */
  async retryDue(now = DateTime.now()): Promise<number> {
    await this.releaseStale(now)
    const due = await db
      .from('outbox_messages')
      .where('status', 'pending')
      .where((q) =>
        q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', sqlTimestamp(now))
      )
      .select('id')
      .limit(500)
    for (const row of due) await this.dispatch(row.id)
    return due.length
  }
}

const outbox = new Outbox()
export default outbox

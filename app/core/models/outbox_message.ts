import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

export type OutboxChannel = 'email' | 'sms'
/**
 * pending: waiting for the worker; sent: accepted by the provider; failed: gave up
 * after the last retry; captured: demo/development mode, kept for the staff preview.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'captured'

export default class OutboxMessage extends BaseModel {
  static table = 'outbox_messages'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare channel: OutboxChannel

  @column()
  declare idempotencyKey: string

  @column()
  declare recipient: string

  @column()
  declare subject: string

  @column()
  declare bodyText: string

  @column()
  declare bodyHtml: string | null

  @column()
  declare status: OutboxStatus

  @column()
  declare attempts: number

  @column()
  declare lastError: string | null

  @column()
  declare providerId: string | null

  @column()
  declare relatedType: string | null

  @column()
  declare relatedId: string | null

  @column.dateTime()
  declare nextAttemptAt: DateTime | null

  @column.dateTime()
  declare sentAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}

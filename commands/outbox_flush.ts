import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Delivers pending outgoing messages now, in this process (useful when the worker is stopped). */
export default class OutboxFlush extends BaseCommand {
  static commandName = 'outbox:flush'
  static description = 'Deliver pending outbox messages now, without the queue worker'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Also retry messages stuck in "sending" for over 10 minutes' })
  declare stale: boolean

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: outbox } = await import('#core/services/outbox')
    if (this.stale) await outbox.releaseStale()
    const rows = await db
      .from('outbox_messages')
      .where('status', 'pending')
      .select('id')
      .orderBy('id')
    for (const row of rows) {
      const message = await outbox.deliver(row.id)
      this.logger.info(
        `#${row.id} ${message?.status ?? 'missing'}${message?.lastError ? `: ${message.lastError}` : ''}`
      )
    }
    this.logger.success(`${rows.length} message(s) processed`)
  }
}

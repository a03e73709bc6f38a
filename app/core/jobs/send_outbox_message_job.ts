import logger from '@adonisjs/core/services/logger'
import { Job } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import outbox from '#core/services/outbox'

export default class SendOutboxMessageJob extends Job<{ id: number }> {
  static options: JobOptions = { name: 'core.send_outbox_message', maxRetries: 0 }

  async execute() {
    try {
      await outbox.deliver(this.payload.id)
    } catch (error) {
      /* The queue drops failed jobs quietly; the retry schedule picks the row up again. */
      logger.error({ err: error, outboxId: this.payload.id }, 'outbox delivery crashed')
      throw error
    }
  }
}

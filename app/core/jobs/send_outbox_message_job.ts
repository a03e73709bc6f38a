import { Job } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import outbox from '#core/services/outbox'

export default class SendOutboxMessageJob extends Job<{ id: number }> {
  static options: JobOptions = { name: 'core.send_outbox_message', maxRetries: 0 }

  async execute() {
    await outbox.deliver(this.payload.id)
  }
}

import { Job } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import outbox from '#core/services/outbox'

export default class RetryOutboxJob extends Job<Record<string, never>> {
  static options: JobOptions = { name: 'core.retry_outbox', maxRetries: 0 }

  async execute() {
    await outbox.retryDue()
  }
}

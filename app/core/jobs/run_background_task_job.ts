import { Job } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import { backgroundTasks } from '#core/services/background_tasks'

/*
 * Runs one background task in the worker. Not retried by the queue: a task
 * records its own failure for the user, who starts it again from the page; the
 * writes of every kind are idempotent, so a second run books nothing twice.
 */
export default class RunBackgroundTaskJob extends Job<{ taskId: number }> {
  static options: JobOptions = { name: 'core.run_background_task', maxRetries: 0 }

  async execute() {
    await backgroundTasks.run(this.payload.taskId)
  }
}

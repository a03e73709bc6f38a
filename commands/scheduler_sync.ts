import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class SchedulerSync extends BaseCommand {
  static commandName = 'scheduler:sync'
  static description =
    'Write the registered periodic jobs (start/scheduler.ts) into the queue schedule table'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { schedules } = await import('#core/services/scheduler')
    const ids = await schedules.sync()
    for (const id of ids) this.logger.info(`schedule ${id}: ${schedules.definitions.get(id)?.cron}`)
  }
}

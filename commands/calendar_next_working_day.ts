import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { nextWorkingDay, parseIsoDate } from '#core/services/calendar'

/**
 * Where a deadline falling on a given day really ends (Tax Ordinance art. 12 §5):
 * the day itself when it is a working day, otherwise the next one.
 */
export default class CalendarNextWorkingDay extends BaseCommand {
  static commandName = 'calendar:next-working-day'
  static description = 'Show the first working day on or after a date (deadline shift)'
  static options: CommandOptions = { startApp: false }

  @args.string({ description: 'Date as YYYY-MM-DD', required: false })
  declare date?: string

  @flags.boolean({ description: 'Print one JSON object' })
  declare json?: boolean

  async run() {
    const date = parseIsoDate(this.date)
    if (date === null) {
      const problem = this.date === undefined ? 'Missing date' : `Invalid date "${this.date}"`
      this.logger.logError(
        `${problem}: expected an existing day as YYYY-MM-DD. ` +
          'Usage: calendar:next-working-day <YYYY-MM-DD> [--json]'
      )
      this.exitCode = 2
      return
    }

    const next = nextWorkingDay(date)
    if (this.json) {
      this.logger.log(JSON.stringify({ date, nextWorkingDay: next }))
      return
    }
    this.logger.log(
      next === date ? `${date} is a working day` : `${date} is a day off; next working day: ${next}`
    )
  }
}

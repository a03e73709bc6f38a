import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { publicHolidays } from '#core/services/calendar'

const MIN_YEAR = 1900
const MAX_YEAR = 2200

/** Lists the public holidays of a year; exit code 2 when the year is not usable. */
export default class CalendarHolidays extends BaseCommand {
  static commandName = 'calendar:holidays'
  static description = 'List the Polish public holidays of a year'
  static options: CommandOptions = { startApp: false }

  @args.string({ description: `Year, ${MIN_YEAR}–${MAX_YEAR}`, required: false })
  declare year?: string

  @flags.boolean({ description: 'Print a JSON array of {date, name}' })
  declare json?: boolean

  async run() {
    const year = this.year ?? ''
    if (!/^\d{4}$/.test(year) || Number(year) < MIN_YEAR || Number(year) > MAX_YEAR) {
      const problem = this.year === undefined ? 'Missing year' : `Invalid year "${year}"`
      this.logger.logError(
        `${problem}: expected four digits between ${MIN_YEAR} and ${MAX_YEAR}. ` +
          'Usage: calendar:holidays <year> [--json]'
      )
      this.exitCode = 2
      return
    }

    const holidays = publicHolidays(Number(year))
    if (this.json) {
      this.logger.log(JSON.stringify(holidays))
      return
    }
    for (const { date, name } of holidays) this.logger.log(`${date}  ${name}`)
  }
}

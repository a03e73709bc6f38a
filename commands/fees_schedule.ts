import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * ./ace fees:schedule --kind property-individual --year 2027 --amount 1234.00 [--delivered YYYY-MM-DD] --json
 * Contract used by other tools: keep the output stable.
 */
export default class FeesSchedule extends BaseCommand {
  static commandName = 'fees:schedule'
  static description = 'Statutory installment plan of a yearly tax (dates shifted to working days)'
  static options: CommandOptions = { startApp: false }

  @flags.string({ description: 'property-individual | legal-person-monthly | transport' })
  declare kind?: string

  @flags.string({ description: 'Tax year' })
  declare year?: string

  @flags.string({ description: 'Yearly amount in złoty, e.g. 1234.00' })
  declare amount?: string

  @flags.string({ description: 'Date the decision was delivered (YYYY-MM-DD)' })
  declare delivered?: string

  @flags.boolean({ description: 'Print one JSON object' })
  declare json: boolean

  #usage(message: string) {
    this.logger.logError(`fees:schedule: ${message}`)
    this.exitCode = 2
  }

  async run() {
    const { parseMoney, formatAmount, MoneyFormatError } = await import('#core/services/money')
    const { parseIsoDate } = await import('#core/services/calendar')
    const { installmentSchedule, SCHEDULE_KINDS } =
      await import('#fees/services/installment_schedule')

    const kind = SCHEDULE_KINDS.find((value) => value === this.kind)
    if (!kind) return this.#usage(`--kind must be one of ${SCHEDULE_KINDS.join(', ')}`)
    if (!this.year || !/^\d{4}$/.test(this.year))
      return this.#usage('--year must be a four-digit year')
    const year = Number(this.year)
    if (year < 2000 || year > 2200) return this.#usage('--year must be between 2000 and 2200')
    if (!this.amount) return this.#usage('--amount is required (e.g. --amount 1234.00)')
    let totalGr: number
    try {
      totalGr = parseMoney(this.amount)
    } catch (error) {
      if (error instanceof MoneyFormatError)
        return this.#usage(`--amount "${this.amount}" is not an amount of money`)
      throw error
    }
    if (totalGr < 0) return this.#usage('--amount must not be negative')
    let delivered: string | null = null
    if (this.delivered !== undefined) {
      delivered = parseIsoDate(this.delivered)
      if (!delivered) return this.#usage('--delivered must be a date YYYY-MM-DD')
    }

    const installments = installmentSchedule({ kind, year, totalGr, delivered })
    const output = {
      total: formatAmount(totalGr),
      installments: installments.map((item) => ({
        number: item.number,
        due: item.due,
        amount: formatAmount(item.amountGr),
      })),
    }
    if (this.json) {
      this.logger.log(JSON.stringify(output))
      return
    }
    this.logger.log(`${kind} ${year}: ${output.total} zł`)
    for (const item of output.installments)
      this.logger.log(`  ${item.number}. ${item.due}  ${item.amount} zł`)
  }
}

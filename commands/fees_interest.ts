import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * ./ace fees:interest --amount 1000.00 --due 2024-03-15 --paid 2025-01-10 --json
 * Contract used by other tools: keep the output stable.
 */
export default class FeesInterest extends BaseCommand {
  static commandName = 'fees:interest'
  static description =
    'Late-payment interest (odsetki za zwłokę) on an amount between a due date and a payment date'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Amount of arrears in złoty, e.g. 1000.00' })
  declare amount?: string

  @flags.string({ description: 'Due date YYYY-MM-DD' })
  declare due?: string

  @flags.string({ description: 'Payment date YYYY-MM-DD' })
  declare paid?: string

  @flags.string({ description: 'reduced | standard | increased', alias: 'k' })
  declare rateKind?: string

  @flags.boolean({ description: 'Print one JSON object' })
  declare json: boolean

  #usage(message: string) {
    this.logger.logError(`fees:interest: ${message}`)
    this.exitCode = 2
  }

  async run() {
    const { parseMoney, formatAmount, MoneyFormatError } = await import('#core/services/money')
    const { parseIsoDate } = await import('#core/services/calendar')
    const { lateInterest, InterestInputError } = await import('#fees/services/interest_calculator')
    const { interestRates } = await import('#fees/services/interest_rates')

    if (!this.amount) return this.#usage('--amount is required (e.g. --amount 1000.00)')
    let amountGr: number
    try {
      amountGr = parseMoney(this.amount)
    } catch (error) {
      if (error instanceof MoneyFormatError)
        return this.#usage(`--amount "${this.amount}" is not an amount of money`)
      throw error
    }
    if (amountGr < 0) return this.#usage('--amount must not be negative')
    const due = parseIsoDate(this.due)
    const paid = parseIsoDate(this.paid)
    if (!due) return this.#usage('--due must be a date YYYY-MM-DD')
    if (!paid) return this.#usage('--paid must be a date YYYY-MM-DD')
    const kind = this.rateKind ?? 'standard'
    if (!['reduced', 'standard', 'increased'].includes(kind))
      return this.#usage('--rate-kind must be reduced, standard or increased')

    const rates = await interestRates.all()
    if (paid > due && (rates.length === 0 || paid < rates[0].from)) {
      return this.#usage(
        `--paid ${paid} is before the first rate in the table (${rates[0]?.from ?? 'empty table'})`
      )
    }
    let result
    try {
      result = lateInterest({
        amountGr,
        due,
        paid,
        rates,
        kind: kind as 'reduced' | 'standard' | 'increased',
        thresholdGr: await interestRates.thresholdGrAt(paid),
      })
    } catch (error) {
      if (error instanceof InterestInputError) return this.#usage(error.message)
      throw error
    }
    const output = {
      amount: formatAmount(result.amountGr),
      due: result.due,
      paid: result.paid,
      days: result.days,
      interest: formatAmount(result.interestGr),
      charged: result.charged,
      periods: result.periods.map((period) => ({
        from: period.from,
        to: period.to,
        days: period.days,
        rate: (period.rateBp / 100).toFixed(2),
        interest: formatAmount(period.interestGr),
      })),
    }
    if (this.json) {
      this.logger.log(JSON.stringify(output))
      return
    }
    this.logger.log(
      `${output.amount} zł due ${output.due}, paid ${output.paid}: ${output.days} days, interest ${output.interest} zł${output.charged ? '' : ' (not charged: at or below the threshold)'}`
    )
    for (const period of output.periods) {
      this.logger.log(
        `  ${period.from} … ${period.to}: ${period.days} days at ${period.rate} % = ${period.interest} zł`
      )
    }
  }
}

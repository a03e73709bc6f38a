import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * ./ace fees:recompute --as-of 2026-11-24 --json
 * Replays every taxpayer's ledger as of a date (balances, arrears, interest)
 * and prints the totals and the time it took; writes nothing.
 */
export default class FeesRecompute extends BaseCommand {
  static commandName = 'fees:recompute'
  static description =
    'Recompute every taxpayer balance and late interest as of a date and print totals and timing'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Date YYYY-MM-DD (default: today in Poland)' })
  declare asOf?: string

  @flags.boolean({ description: 'Print one JSON object' })
  declare json: boolean

  async run() {
    const { parseIsoDate, todayInWarsaw } = await import('#core/services/calendar')
    const { formatAmount } = await import('#core/services/money')
    const { allLedgers } = await import('#fees/services/ledger_store')

    const asOf = this.asOf ? parseIsoDate(this.asOf) : todayInWarsaw()
    if (!asOf) {
      this.logger.logError('fees:recompute: --as-of must be a date YYYY-MM-DD')
      this.exitCode = 2
      return
    }
    const started = performance.now()
    const ledgers = await allLedgers(asOf)
    const ms = performance.now() - started
    const summary = {
      asOf,
      ms: Math.round(ms),
      taxpayers: ledgers.size,
      installments: 0,
      inArrears: 0,
      arrearsGr: 0,
      interestGr: 0,
      creditGr: 0,
    }
    for (const ledger of ledgers.values()) {
      summary.installments += ledger.installments.length
      if (ledger.totals.arrearsGr > 0) summary.inArrears++
      summary.arrearsGr += ledger.totals.arrearsGr
      summary.interestGr += ledger.totals.interestGr
      summary.creditGr += ledger.totals.creditGr
    }
    if (this.json) {
      process.stdout.write(JSON.stringify(summary) + '\n')
      return
    }
    this.logger.info(
      `${summary.taxpayers} taxpayers, ${summary.installments} installments recomputed as of ${asOf} in ${summary.ms} ms`
    )
    this.logger.info(
      `${summary.inArrears} in arrears: ${formatAmount(summary.arrearsGr)} zł arrears, ${formatAmount(summary.interestGr)} zł interest, ${formatAmount(summary.creditGr)} zł overpayments`
    )
  }
}

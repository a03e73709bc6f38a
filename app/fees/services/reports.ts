import db from '@adonisjs/lucid/services/db'
import { daysBetween } from '#core/services/calendar'
import { formatAmount } from '#core/services/money'
import { allLedgers } from '#fees/services/ledger_store'
import type { LedgerResult } from '#fees/services/ledger'

export interface ArrearsRow {
  taxpayerId: number
  name: string
  kind: string
  accountNumber: string
  city: string | null
  arrearsGr: number
  interestGr: number
  reminderCostsGr: number
  totalGr: number
  oldestDue: string
  daysOverdue: number
}

export type ArrearsSort = 'total' | 'name' | 'oldest'

/** One row per taxpayer who owes something past its due date as of the day. */
export function arrearsRows(
  ledgers: Map<number, LedgerResult>,
  taxpayers: Map<
    number,
    { name: string; kind: string; accountNumber: string; city: string | null }
  >,
  options: { asOf: string; minDaysOverdue: number; minTotalGr: number; sort: ArrearsSort }
): ArrearsRow[] {
  const rows: ArrearsRow[] = []
  for (const [taxpayerId, ledger] of ledgers) {
    const overdue = ledger.installments.filter((installment) => installment.overdue)
    if (overdue.length === 0 && ledger.totals.reminderCostsGr === 0) continue
    const oldestDue = overdue.length ? overdue[0].due : options.asOf
    const daysOverdue = Math.max(0, daysBetween(oldestDue, options.asOf))
    const totalGr = ledger.totals.toPayNowGr
    if (daysOverdue < options.minDaysOverdue || totalGr < options.minTotalGr || totalGr === 0)
      continue
    const taxpayer = taxpayers.get(taxpayerId)
    rows.push({
      taxpayerId,
      name: taxpayer?.name ?? `#${taxpayerId}`,
      kind: taxpayer?.kind ?? '',
      accountNumber: taxpayer?.accountNumber ?? '',
      city: taxpayer?.city ?? null,
      arrearsGr: ledger.totals.arrearsGr,
      interestGr: ledger.totals.interestGr,
      reminderCostsGr: ledger.totals.reminderCostsGr,
      totalGr,
      oldestDue,
      daysOverdue,
    })
  }
  return sortArrears(rows, options.sort)
}

/** Sorts the rows in place: largest total first, by name (Polish order) or oldest due date first. */
export function sortArrears(rows: ArrearsRow[], sort: ArrearsSort): ArrearsRow[] {
  const collator = new Intl.Collator('pl')
  const compare: Record<ArrearsSort, (a: ArrearsRow, b: ArrearsRow) => number> = {
    total: (a, b) => b.totalGr - a.totalGr || a.taxpayerId - b.taxpayerId,
    name: (a, b) => collator.compare(a.name, b.name) || a.taxpayerId - b.taxpayerId,
    oldest: (a, b) => a.oldestDue.localeCompare(b.oldestDue) || a.taxpayerId - b.taxpayerId,
  }
  return rows.sort(compare[sort])
}

/** Sums of the arrears columns over some rows. */
export function arrearsSums(rows: ArrearsRow[]) {
  return {
    arrearsGr: rows.reduce((sum, row) => sum + row.arrearsGr, 0),
    interestGr: rows.reduce((sum, row) => sum + row.interestGr, 0),
    reminderCostsGr: rows.reduce((sum, row) => sum + row.reminderCostsGr, 0),
    totalGr: rows.reduce((sum, row) => sum + row.totalGr, 0),
  }
}

/** The arrears list as of a day, from every taxpayer's ledger. */
export async function arrearsList(
  options: {
    asOf: string
    minDaysOverdue: number
    minTotalGr: number
    sort: ArrearsSort
  },
  onSlice?: (done: number, total: number) => Promise<void>
): Promise<ArrearsRow[]> {
  const [ledgers, taxpayerRows] = await Promise.all([
    allLedgers(options.asOf, onSlice),
    db.from('fees_taxpayers').select('id', 'name', 'kind', 'account_number', 'city'),
  ])
  const taxpayers = new Map(
    taxpayerRows.map((row) => [
      Number(row.id),
      { name: row.name, kind: row.kind, accountNumber: row.account_number, city: row.city },
    ])
  )
  return arrearsRows(ledgers, taxpayers, options)
}

export interface DailySummary {
  date: string
  payments: { source: string; count: number; amountGr: number }[]
  paymentsTotalGr: number
  paymentsCount: number
  assessments: { kind: string; count: number; amountGr: number }[]
  writeOffsGr: number
  refundsGr: number
  reminderCostsGr: number
  remindersCount: number
}

/** What was booked on one day: payments by channel, decisions issued, write-offs, refunds, reminders. */
export async function dailySummary(date: string): Promise<DailySummary> {
  const [payments, assessments, entries, reminders] = await Promise.all([
    db
      .from('fees_payments')
      .where('paid_on', date)
      .groupBy('source')
      .select('source')
      .count('* as count')
      .sum('amount_gr as amount')
      .orderBy('source'),
    db
      .from('fees_assessments')
      .where('issued_on', date)
      .groupBy('kind')
      .select('kind')
      .count('* as count')
      .sum('total_gr as amount')
      .orderBy('kind'),
    db
      .from('fees_ledger_entries')
      .where('booked_on', date)
      .groupBy('kind')
      .select('kind')
      .sum('amount_gr as amount'),
    db.from('fees_reminders').where('issued_on', date).count('* as count').first(),
  ])
  const entryTotal = (kind: string) => Number(entries.find((row) => row.kind === kind)?.amount ?? 0)
  const paymentRows = payments.map((row) => ({
    source: String(row.source),
    count: Number(row.count),
    amountGr: Number(row.amount ?? 0),
  }))
  return {
    date,
    payments: paymentRows,
    paymentsTotalGr: paymentRows.reduce((sum, row) => sum + row.amountGr, 0),
    paymentsCount: paymentRows.reduce((sum, row) => sum + row.count, 0),
    assessments: assessments.map((row) => ({
      kind: String(row.kind),
      count: Number(row.count),
      amountGr: Number(row.amount ?? 0),
    })),
    writeOffsGr: entryTotal('write_off'),
    refundsGr: entryTotal('refund'),
    reminderCostsGr: entryTotal('reminder_cost'),
    remindersCount: Number(reminders?.count ?? 0),
  }
}

/*
 * CSV for spreadsheets used in Polish offices: semicolon separated, decimal
 * comma, UTF-8 with a byte order mark so the spreadsheet picks the encoding.
 * Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
 */
function csvCell(value: string | number): string {
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(header: string[], rows: (string | number)[][]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(';'))
  return `\ufeff${lines.join('\r\n')}\r\n`
}

/** Grosze as "1234,56" for spreadsheets (no grouping, decimal comma). */
export function csvAmount(amountGr: number): string {
  return formatAmount(amountGr).replace('.', ',')
}

export function arrearsCsv(rows: ArrearsRow[]): string {
  return toCsv(
    [
      'id_podatnika',
      'nazwa',
      'rachunek',
      'miejscowosc',
      'zaleglosc',
      'odsetki',
      'koszty_upomnien',
      'razem',
      'najstarszy_termin',
      'dni_zwloki',
    ],
    rows.map((row) => [
      row.taxpayerId,
      row.name,
      row.accountNumber,
      row.city ?? '',
      csvAmount(row.arrearsGr),
      csvAmount(row.interestGr),
      csvAmount(row.reminderCostsGr),
      csvAmount(row.totalGr),
      row.oldestDue,
      row.daysOverdue,
    ])
  )
}

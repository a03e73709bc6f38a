/*
 * The arrears list as of a day is every taxpayer's ledger replayed (about a
 * second over 20,000 taxpayers): it runs as a background task in the worker.
 * The task writes the CSV (the download) and the rows (the list on screen,
 * read back page by page), and keeps the count and the sums for its page.
 */
import { readFile } from 'node:fs/promises'
import type { BackgroundTask, BackgroundTaskKind } from '#core/services/background_tasks'
import { taskFilePath } from '#core/services/background_tasks'
import { formatDate } from '#core/services/formatting'
import { formatMoney } from '#core/services/money'
import type { ArrearsRow, ArrearsSort } from '#fees/services/reports'

export interface ArrearsTaskParams {
  asOf: string
  minDaysOverdue: number
  minTotalGr: number
  sort: ArrearsSort
}

export const ARREARS_TASK = 'fees.arrears'

export const arrearsTask: BackgroundTaskKind<ArrearsTaskParams> = {
  kind: ARREARS_TASK,
  ability: 'viewTaxes',
  title: (params) => `Zaległości na dzień ${formatDate(params.asOf)}`,
  async run(task) {
    const { arrearsList, arrearsCsv, arrearsSums } = await import('#fees/services/reports')
    const rows = await arrearsList(task.params, (done, total) =>
      task.progress(done, total, `Przeliczono konta podatników: ${done} z ${total}.`)
    )
    await task.saveResult(
      `zaleglosci-${task.params.asOf}.csv`,
      'text/csv; charset=utf-8',
      arrearsCsv(rows)
    )
    task.summary.rowsFile = await task.saveFile('wiersze.json', JSON.stringify(rows))
    task.summary.count = rows.length
    task.summary.sums = arrearsSums(rows)
  },
  facts(task) {
    const { count, sums } = task.summary
    return [
      { label: 'Podatnicy z zaległościami', value: String(count) },
      { label: 'Zaległość', value: formatMoney(sums.arrearsGr) },
      { label: 'Odsetki', value: formatMoney(sums.interestGr) },
      { label: 'Koszty upomnień', value: formatMoney(sums.reminderCostsGr) },
      { label: 'Razem do zapłaty', value: formatMoney(sums.totalGr) },
    ]
  },
  links: (task) => [
    { href: `/panel/podatki/zaleglosci/zestawienie/${task.id}`, label: 'Pokaż listę na ekranie' },
  ],
}

/** The rows a finished arrears task wrote, or null when its files were removed. */
export async function arrearsTaskRows(task: BackgroundTask): Promise<ArrearsRow[] | null> {
  const path = task.status === 'done' ? taskFilePath(task.summary.rowsFile ?? null) : null
  if (!path) return null
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ArrearsRow[]
  } catch {
    return null
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import { parseIsoDate, todayInWarsaw } from '#core/services/calendar'
import { parseMoney } from '#core/services/money'
import {
  arrearsCsv,
  arrearsList,
  csvAmount,
  dailySummary,
  toCsv,
  type ArrearsSort,
} from '#fees/services/reports'

const PAGE_SIZE = 50
const SORTS: ArrearsSort[] = ['total', 'name', 'oldest']

export const SOURCE_LABELS: Record<string, string> = {
  bank: 'Przelew (wyciąg bankowy)',
  cash: 'Kasa urzędu',
  online: 'Płatność internetowa',
  manual: 'Wpłata wprowadzona ręcznie',
  import: 'Import',
}

export const KIND_LABELS: Record<string, string> = {
  'property-individual': 'Łączne zobowiązanie (osoby fizyczne)',
  'legal-person-monthly': 'Podatek od nieruchomości (osoby prawne)',
  'transport': 'Podatek od środków transportowych',
  'waste': 'Opłata za gospodarowanie odpadami',
  'fee': 'Inne opłaty',
}

function download(response: HttpContext['response'], name: string, csv: string) {
  response.header('content-type', 'text/csv; charset=utf-8')
  response.header('content-disposition', `attachment; filename="${name}"`)
  response.header('x-content-type-options', 'nosniff')
  return response.send(csv)
}

/** Lists for the treasurer's office: arrears as of a day and the daily summary, on screen and as CSV. */
export default class ReportsController {
  async arrears({ request, response, view, bouncer }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    const errors: Record<string, string> = {}
    const rawDate = String(request.input('na-dzien', '') ?? '')
    const asOf = rawDate ? parseIsoDate(rawDate) : todayInWarsaw()
    if (!asOf) errors['na-dzien'] = 'Podaj datę w formacie RRRR-MM-DD.'
    const rawDays = String(request.input('dni', '0') ?? '0').trim() || '0'
    const minDaysOverdue = /^\d{1,4}$/.test(rawDays) ? Number(rawDays) : 0
    if (!/^\d{1,4}$/.test(rawDays)) errors.dni = 'Liczba dni zwłoki musi być liczbą całkowitą od 0.'
    const rawMin = String(request.input('kwota', '') ?? '').trim()
    let minTotalGr = 0
    if (rawMin) {
      try {
        minTotalGr = parseMoney(rawMin)
      } catch {
        errors.kwota = 'Podaj kwotę, np. 100 lub 100,50.'
      }
    }
    const sort = (SORTS as string[]).includes(request.input('sort'))
      ? (request.input('sort') as ArrearsSort)
      : 'total'
    const effectiveDate = asOf ?? todayInWarsaw()
    const rows = await arrearsList({ asOf: effectiveDate, minDaysOverdue, minTotalGr, sort })
    if (request.input('format') === 'csv' && Object.keys(errors).length === 0)
      return download(response, `zaleglosci-${effectiveDate}.csv`, arrearsCsv(rows))

    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const lastPage = Math.max(1, Math.ceil(rows.length / PAGE_SIZE))
    const query = {
      'na-dzien': effectiveDate,
      'dni': String(minDaysOverdue),
      'kwota': rawMin,
      sort,
    }
    return view.render('fees/reports/arrears', {
      rows: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
      count: rows.length,
      sums: {
        arrearsGr: rows.reduce((sum, row) => sum + row.arrearsGr, 0),
        interestGr: rows.reduce((sum, row) => sum + row.interestGr, 0),
        reminderCostsGr: rows.reduce((sum, row) => sum + row.reminderCostsGr, 0),
        totalGr: rows.reduce((sum, row) => sum + row.totalGr, 0),
      },
      filters: { asOf: rawDate || effectiveDate, minDaysOverdue: rawDays, minTotal: rawMin },
      errors,
      sort,
      dir: sort === 'total' ? 'desc' : 'asc',
      page,
      lastPage,
      query,
      csvHref: `?${new URLSearchParams({ ...query, format: 'csv' }).toString()}`,
    })
  }

  async daily({ request, response, view, bouncer }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    const rawDate = String(request.input('dzien', '') ?? '')
    const date = rawDate ? parseIsoDate(rawDate) : todayInWarsaw()
    const errors: Record<string, string> = date
      ? {}
      : { dzien: 'Podaj datę w formacie RRRR-MM-DD.' }
    const summary = await dailySummary(date ?? todayInWarsaw())
    if (request.input('format') === 'csv' && date)
      return download(
        response,
        `zestawienie-${summary.date}.csv`,
        toCsv(
          ['rodzaj', 'pozycja', 'liczba', 'kwota'],
          [
            ...summary.payments.map((row) => [
              'wpłaty',
              SOURCE_LABELS[row.source] ?? row.source,
              row.count,
              csvAmount(row.amountGr),
            ]),
            ...summary.assessments.map((row) => [
              'przypisy',
              KIND_LABELS[row.kind] ?? row.kind,
              row.count,
              csvAmount(row.amountGr),
            ]),
            ['odpisy', 'Odpisy (umorzenia)', '', csvAmount(summary.writeOffsGr)],
            ['zwroty', 'Zwroty nadpłat', '', csvAmount(summary.refundsGr)],
            [
              'upomnienia',
              'Koszty upomnień',
              summary.remindersCount,
              csvAmount(summary.reminderCostsGr),
            ],
          ]
        )
      )
    return view.render('fees/reports/daily', {
      summary,
      filters: { date: rawDate || summary.date },
      errors,
      sourceLabels: SOURCE_LABELS,
      kindLabels: KIND_LABELS,
      csvHref: `?${new URLSearchParams({ dzien: summary.date, format: 'csv' }).toString()}`,
    })
  }
}

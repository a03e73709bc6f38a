import type { HttpContext } from '@adonisjs/core/http'
import { parseIsoDate, todayInWarsaw } from '#core/services/calendar'
import { parseMoney } from '#core/services/money'
import { Exception } from '@adonisjs/core/exceptions'
import { backgroundTasks } from '#core/services/background_tasks'
import { visibleTask } from '#core/services/background_task_access'
import {
  arrearsSums,
  csvAmount,
  dailySummary,
  sortArrears,
  toCsv,
  type ArrearsSort,
} from '#fees/services/reports'
import {
  ARREARS_TASK,
  arrearsTask,
  arrearsTaskRows,
  type ArrearsTaskParams,
} from '#fees/services/arrears_task'

const PAGE_SIZE = 50
const SORTS: ArrearsSort[] = ['total', 'name', 'oldest']

const notFound = () => new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })

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

interface ArrearsFilters {
  'na-dzien': string
  'dni': string
  'kwota': string
  'sort': string
}

/** The filters typed in the form, or the errors per field. */
function arrearsParams(values: ArrearsFilters): {
  params: ArrearsTaskParams | null
  errors: Record<string, string>
} {
  const errors: Record<string, string> = {}
  const asOf = parseIsoDate(values['na-dzien'])
  if (!asOf) errors['na-dzien'] = 'Podaj datę w formacie RRRR-MM-DD.'
  const rawDays = values.dni.trim() || '0'
  if (!/^\d{1,4}$/.test(rawDays)) errors.dni = 'Liczba dni zwłoki musi być liczbą całkowitą od 0.'
  let minTotalGr = 0
  if (values.kwota.trim()) {
    try {
      minTotalGr = parseMoney(values.kwota.trim())
    } catch {
      errors.kwota = 'Podaj kwotę, np. 100 lub 100,50.'
    }
  }
  const sort = (SORTS as string[]).includes(values.sort) ? (values.sort as ArrearsSort) : 'total'
  if (Object.keys(errors).length) return { params: null, errors }
  return { params: { asOf: asOf!, minDaysOverdue: Number(rawDays), minTotalGr, sort }, errors }
}

function filterValues(input: Record<string, unknown>): ArrearsFilters {
  const text = (value: unknown, fallback: string) =>
    typeof value === 'string' ? value.trim().slice(0, 40) : fallback
  return {
    'na-dzien': text(input['na-dzien'], todayInWarsaw()),
    'dni': text(input.dni, '0'),
    'kwota': text(input.kwota, ''),
    'sort': text(input.sort, 'total'),
  }
}

/**
 * Lists for the treasurer's office. The arrears list replays every ledger, so
 * the form starts a background task and the list is read back from its result
 * page by page; the daily summary is a few grouped queries of one day and
 * stays in the request, on screen and as CSV.
 */
export default class ReportsController {
  async arrears({ request, view, bouncer, auth }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    const tasks = await backgroundTasks.recent(auth.use('staff').user!.id, {
      kinds: [ARREARS_TASK],
      limit: 10,
    })
    return view.render('fees/reports/arrears_form', {
      values: filterValues(request.qs()),
      tasks: tasks.map((task) => ({ ...task, title: arrearsTask.title(task.params as any) })),
    })
  }

  async startArrears(ctx: HttpContext) {
    const { request, response, bouncer, auth, session } = ctx
    await bouncer.authorize('viewTaxes')
    const values = filterValues(request.only(['na-dzien', 'dni', 'kwota', 'sort']))
    const { params, errors } = arrearsParams(values)
    if (!params) {
      session.flash('inputErrorsBag', errors)
      return response.redirect(`/panel/podatki/zaleglosci?${new URLSearchParams({ ...values })}`)
    }
    const id = await backgroundTasks.start(ARREARS_TASK, auth.use('staff').user!.id, { ...params })
    return response.redirect().toRoute('staff.tasks.show', { id })
  }

  /** The list of a finished arrears task, page by page, in the order the clerk picks. */
  async arrearsResult(ctx: HttpContext) {
    const { request, view, bouncer } = ctx
    await bouncer.authorize('viewTaxes')
    const task = await visibleTask(ctx, ctx.params.id)
    if (task.kind !== ARREARS_TASK) throw notFound()
    const rows = await arrearsTaskRows(task)
    if (!rows) return ctx.response.redirect().toRoute('staff.tasks.show', { id: task.id })
    const params = task.params as ArrearsTaskParams
    const sort = (SORTS as string[]).includes(request.input('sort'))
      ? (request.input('sort') as ArrearsSort)
      : params.sort
    sortArrears(rows, sort)
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const lastPage = Math.max(1, Math.ceil(rows.length / PAGE_SIZE))
    return view.render('fees/reports/arrears', {
      task,
      params,
      rows: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
      count: rows.length,
      sums: arrearsSums(rows),
      sort,
      page,
      lastPage,
      query: { sort },
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

import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import auditLog, { actorFrom } from '#core/services/audit_log'
import { backgroundTasks } from '#core/services/background_tasks'
import { visibleTask } from '#core/services/background_task_access'
import { parseIsoDate, todayInWarsaw } from '#core/services/calendar'
import { MoneyFormatError, parseMoney } from '#core/services/money'
import { csvAmount, toCsv } from '#fees/services/reports'
import {
  ReminderNotFoundError,
  batchReminders,
  isBatchId,
  markBatchPosted,
  recentBatches,
  reminderPdf,
  type ReminderCriteria,
} from '#fees/services/reminders'
import {
  REMINDERS_ISSUE_TASK,
  REMINDERS_PREVIEW_TASK,
  previewOfTask,
  type RemindersPreviewParams,
} from '#fees/services/reminders_task'
import { sendPdf } from '#fees/controllers/pdf_response'

const DEFAULT_MIN_DAYS = '30'

const notFound = () => new Exception('Not found', { status: 404, code: 'E_NOT_FOUND' })

interface FormValues {
  'na-dzien': string
  'dni': string
  'kwota': string
}

function formValues(input: Record<string, unknown>): FormValues {
  const text = (value: unknown, fallback: string) =>
    typeof value === 'string' ? value.trim().slice(0, 40) : fallback
  return {
    'na-dzien': text(input['na-dzien'], todayInWarsaw()),
    'dni': text(input.dni, DEFAULT_MIN_DAYS),
    'kwota': text(input.kwota, ''),
  }
}

/** The criteria typed in the form, or the errors per field. */
function criteriaOf(values: FormValues): {
  criteria: ReminderCriteria | null
  errors: Record<string, string>
} {
  const errors: Record<string, string> = {}
  const asOf = parseIsoDate(values['na-dzien'])
  if (!asOf) errors['na-dzien'] = 'Podaj datę stanu zaległości, np. 2026-11-24.'
  const minDays = /^\d{1,4}$/.test(values.dni) ? Number(values.dni) : Number.NaN
  if (Number.isNaN(minDays)) errors.dni = 'Podaj liczbę dni zwłoki jako liczbę całkowitą, np. 30.'
  let minArrearsGr = 0
  if (values.kwota) {
    try {
      minArrearsGr = parseMoney(values.kwota)
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error
      errors.kwota = 'Podaj minimalną kwotę zaległości w złotych, np. 80,00.'
    }
  }
  if (Object.keys(errors).length) return { criteria: null, errors }
  return { criteria: { asOf: asOf!, minDaysOverdue: minDays, minArrearsGr }, errors }
}

function batchParam(value: unknown): string {
  const batch = String(value ?? '')
  if (!isBatchId(batch)) throw notFound()
  return batch
}

/**
 * Reminders: the preview (every ledger replayed) and the issue (a letter per
 * taxpayer) run as background tasks; the clerk follows them on the task page,
 * which leads to the list on screen and then to the batch for posting.
 */
export default class RemindersController {
  /** The criteria form, the clerk's recent previews and the recent batches. */
  async index({ view, bouncer, request, auth }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    const tasks = await backgroundTasks.recent(auth.use('staff').user!.id, {
      kinds: [REMINDERS_PREVIEW_TASK, REMINDERS_ISSUE_TASK],
      limit: 10,
    })
    return view.render('fees/reminders/index', {
      values: formValues(request.qs()),
      errors: {},
      preview: null,
      tasks: tasks.map((task) => ({
        ...task,
        title: backgroundTasks.kindOf(task)!.title(task.params),
      })),
      batches: await recentBatches(),
    })
  }

  async startPreview(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    return this.#start(ctx, REMINDERS_PREVIEW_TASK, {})
  }

  /** The list of a finished preview, with the button that issues the reminders. */
  async previewResult(ctx: HttpContext) {
    const { view, bouncer } = ctx
    await bouncer.authorize('viewTaxes')
    const task = await visibleTask(ctx, ctx.params.id)
    if (task.kind !== REMINDERS_PREVIEW_TASK) throw notFound()
    const preview = await previewOfTask(task)
    if (!preview) return ctx.response.redirect().toRoute('staff.tasks.show', { id: task.id })
    const params = task.params as RemindersPreviewParams
    return view.render('fees/reminders/index', {
      values: {
        'na-dzien': params.asOf,
        'dni': String(params.minDaysOverdue),
        'kwota': params.minArrearsText,
      },
      errors: {},
      preview,
      previewTask: task,
      tasks: [],
      batches: await recentBatches(),
    })
  }

  async issue(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    return this.#start(ctx, REMINDERS_ISSUE_TASK, {
      actor: actorFrom(ctx),
      ip: ctx.request.ip(),
    })
  }

  /** Checks the criteria and starts the task, or goes back to the form with the errors. */
  async #start(ctx: HttpContext, kind: string, extra: Record<string, unknown>) {
    const { request, response, session, auth } = ctx
    const values = formValues(request.only(['na-dzien', 'dni', 'kwota']))
    const { criteria, errors } = criteriaOf(values)
    if (!criteria) {
      session.flash('inputErrorsBag', errors)
      return response.redirect(`/panel/podatki/upomnienia?${new URLSearchParams({ ...values })}`)
    }
    const id = await backgroundTasks.start(kind, auth.use('staff').user!.id, {
      ...criteria,
      minArrearsText: values.kwota,
      ...extra,
    })
    return response.redirect().toRoute('staff.tasks.show', { id })
  }

  /** The batch with the list for posting. */
  async batch({ view, bouncer, params }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    const batch = batchParam(params.id)
    const reminders = await batchReminders(batch)
    if (reminders.length === 0) throw notFound()
    return view.render('fees/reminders/batch', {
      batch,
      reminders,
      unposted: reminders.filter((row) => row.status === 'issued').length,
      totalGr: reminders.reduce((sum, row) => sum + row.totalGr, 0),
    })
  }

  async batchCsv({ bouncer, params, response }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    const batch = batchParam(params.id)
    const reminders = await batchReminders(batch)
    if (reminders.length === 0) throw notFound()
    const csv = toCsv(
      ['numer', 'adresat', 'adres', 'kwota', 'status', 'data_nadania'],
      reminders.map((row) => [
        row.number,
        row.addressee,
        row.address,
        csvAmount(row.totalGr),
        row.status === 'issued' ? 'wystawione' : 'nadane',
        row.postedOn ?? '',
      ])
    )
    response.header('content-type', 'text/csv; charset=utf-8')
    response.header('content-disposition', `attachment; filename="upomnienia-${batch}.csv"`)
    response.header('x-content-type-options', 'nosniff')
    response.header('cache-control', 'no-store')
    return response.send(csv)
  }

  async markPosted(ctx: HttpContext) {
    const { bouncer, params, response, session } = ctx
    await bouncer.authorize('manageTaxes')
    const batch = batchParam(params.id)
    const reminders = await batchReminders(batch)
    if (reminders.length === 0) throw notFound()
    const changed = await markBatchPosted(batch, todayInWarsaw())
    await auditLog.recordFromRequest(ctx, {
      action: 'fees.reminders_posted',
      subjectType: 'fees_reminder_batch',
      subjectId: batch,
      details: { changed },
    })
    session.flash('notification', {
      type: 'success',
      message: changed
        ? `Oznaczono jako nadane: ${changed}.`
        : 'Wszystkie upomnienia z tej partii były już oznaczone jako nadane.',
    })
    return response.redirect().toRoute('fees.reminders.batch', { id: batch })
  }

  async pdf({ bouncer, params, response }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    const id = Number(params.id)
    if (!Number.isSafeInteger(id) || id <= 0) throw notFound()
    try {
      const pdf = await reminderPdf(id)
      return sendPdf(response, pdf, `upomnienie-${id}.pdf`)
    } catch (error) {
      if (error instanceof ReminderNotFoundError) throw notFound()
      throw error
    }
  }
}

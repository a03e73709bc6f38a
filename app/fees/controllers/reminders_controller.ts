import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import auditLog from '#core/services/audit_log'
import { parseIsoDate, todayInWarsaw } from '#core/services/calendar'
import { MoneyFormatError, parseMoney } from '#core/services/money'
import { csvAmount, toCsv } from '#fees/services/reports'
import {
  ReminderError,
  ReminderNotFoundError,
  batchReminders,
  isBatchId,
  issueReminders,
  markBatchPosted,
  recentBatches,
  reminderPdf,
  remindersPreview,
  type ReminderCriteria,
} from '#fees/services/reminders'
import { sendPdf } from '#fees/controllers/pdf_response'

const DEFAULT_MIN_DAYS = '30'
/* Form field of each criterion (the error summary links to the field by this name). */
const FIELD_OF: Record<string, string> = { asOf: 'na-dzien', minDays: 'dni', minArrears: 'kwota' }

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

export default class RemindersController {
  /** The form; with criteria in the address also the preview of who would be reminded. */
  async index({ view, bouncer, request }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    const query = request.qs()
    const values = formValues(query)
    let errors: Record<string, string> = {}
    let preview = null
    if (query['na-dzien'] !== undefined) {
      const parsed = criteriaOf(values)
      errors = parsed.errors
      if (parsed.criteria) {
        try {
          preview = await remindersPreview(parsed.criteria)
        } catch (error) {
          if (!(error instanceof ReminderError)) throw error
          errors[FIELD_OF[error.field] ?? 'na-dzien'] = error.message
        }
      }
    }
    return view.render('fees/reminders/index', {
      values,
      errors,
      preview,
      batches: await recentBatches(),
    })
  }

  async issue(ctx: HttpContext) {
    const { bouncer, request, response, session, auth } = ctx
    await bouncer.authorize('manageTaxes')
    const values = formValues(request.only(['na-dzien', 'dni', 'kwota']))
    const back = `/panel/podatki/upomnienia?${new URLSearchParams({ ...values })}`
    const { criteria, errors } = criteriaOf(values)
    if (!criteria) {
      session.flash('inputErrorsBag', errors)
      return response.redirect(back)
    }
    let result
    try {
      result = await issueReminders({ ...criteria, staffId: auth.use('staff').user?.id ?? null })
    } catch (error) {
      if (!(error instanceof ReminderError)) throw error
      session.flash('inputErrorsBag', { [FIELD_OF[error.field] ?? 'na-dzien']: error.message })
      return response.redirect(back)
    }
    await auditLog.recordFromRequest(ctx, {
      action: 'fees.reminders_issued',
      subjectType: 'fees_reminder_batch',
      subjectId: result.batch,
      details: { created: result.createdIds.length, skipped: result.skipped },
    })
    const created = result.createdIds.length
    if (created === 0) {
      session.flash('notification', {
        type: 'info',
        message:
          'Nie wystawiono nowych upomnień: wszystkie zaległości spełniające kryteria zostały już objęte upomnieniami.',
      })
      return response.redirect(back)
    }
    session.flash('notification', {
      type: 'success',
      message: `Wystawiono upomnienia: ${created}. Wydrukuj je i przekaż do wysyłki według zestawienia poniżej.`,
    })
    return response.redirect().toRoute('fees.reminders.batch', { id: result.batch })
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

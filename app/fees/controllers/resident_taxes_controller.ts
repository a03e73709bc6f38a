import type { HttpContext } from '@adonisjs/core/http'
import { addDays, parseIsoDate, todayInWarsaw } from '#core/services/calendar'
import { formatDate } from '#core/services/formatting'
import auditLog, { auditContextFrom } from '#core/services/audit_log'
import { LoginThrottle, type ThrottleState } from '#core/services/login_throttle'
import { paymentQrSvg } from '#payments/services/transfer_data'
import { accountStatement } from '#fees/services/account_statement'
import { ledgerOf } from '#fees/services/ledger_store'
import { taxpayers } from '#fees/services/taxpayers'
import { linkByCodeValidator, residentFeesMessages } from '#fees/validators/resident_validators'
import { KIND_LABELS, idParam, notFound } from '#fees/controllers/clerk_support'
import {
  signedInResident,
  visibleTaxpayerOr404,
  visibleTaxpayers,
} from '#fees/controllers/resident_support'

/*
 * Access codes are guessed like passwords: wrong codes are counted per
 * resident and per address with the same limiter as the sign-in forms.
 */
const codeThrottle = new LoginThrottle('fees-code')

/** Statements before this day show nothing useful; after a year ahead they are guesses. */
const EARLIEST_AS_OF = '2000-01-01'
const DAYS_AHEAD = 366

export const AS_OF_PARAM = 'na-dzien'

function throttledMessage(state: ThrottleState) {
  const minutes = Math.max(1, Math.ceil(state.retryAfterSeconds / 60))
  return `Wpisano zbyt wiele błędnych kodów dostępu. Ze względów bezpieczeństwa łączenie kont jest wstrzymane na ${minutes} min. Spróbuj ponownie później albo przyjdź do urzędu z dowodem osobistym.`
}

/** "Moje podatki i opłaty": the resident's taxpayer accounts, linking by code, one account's statement. */
export default class ResidentTaxesController {
  async index(ctx: HttpContext) {
    return this.#list(ctx)
  }

  async link(ctx: HttpContext) {
    const { request, response, session } = ctx
    const resident = signedInResident(ctx)
    const ip = request.ip()
    const account = String(resident.id)
    const audit = (action: string, subjectId: number | null) =>
      auditLog.recordFromRequest(ctx, {
        action,
        subjectType: subjectId ? 'fees_taxpayer' : null,
        subjectId,
        details: { method: 'code' },
      })

    const before = await codeThrottle.check(account, ip)
    if (before.blocked) {
      await audit('fees.link_code_throttled', null)
      return this.#throttled(ctx, before)
    }
    const { kod } = await request.validateUsing(linkByCodeValidator, {
      messagesProvider: residentFeesMessages,
    })
    const taxpayer = await taxpayers.linkByCode(resident.id, kod, (taxpayerId) => ({
      ...auditContextFrom(ctx),
      action: 'fees.taxpayer_linked',
      subjectType: 'fees_taxpayer',
      subjectId: taxpayerId,
      details: { method: 'code' },
    }))
    if (!taxpayer) {
      const after = await codeThrottle.fail(account, ip)
      await audit('fees.link_code_failed', null)
      if (after.blocked) return this.#throttled(ctx, after)
      session.flash('kod', request.input('kod'))
      session.flash('inputErrorsBag', {
        kod: [
          'Nie znaleźliśmy konta podatnika z tym kodem. Sprawdź kod na ostatniej decyzji (nakazie płatniczym) i wpisz go ponownie.',
        ],
      })
      return response.redirect().toRoute('fees.resident.index')
    }
    session.flash('notification', {
      type: 'success',
      message: `Połączono konto podatnika: ${taxpayer.name}.`,
    })
    return response.redirect().toRoute('fees.resident.show', { id: taxpayer.id })
  }

  async show(ctx: HttpContext) {
    const { request, response, view } = ctx
    const taxpayer = await visibleTaxpayerOr404(ctx, idParam(ctx))
    const today = todayInWarsaw()
    const latest = addDays(today, DAYS_AHEAD)
    const raw = request.qs()[AS_OF_PARAM]
    let asOf = today
    let dateError: string | null = null
    if (raw !== undefined && raw !== '') {
      const parsed = typeof raw === 'string' ? parseIsoDate(raw.trim()) : null
      if (!parsed) dateError = 'Podaj datę w formacie RRRR-MM-DD, np. 2026-03-15.'
      else if (parsed < EARLIEST_AS_OF)
        dateError = `Podaj datę nie wcześniejszą niż ${formatDate(EARLIEST_AS_OF)}.`
      else if (parsed > latest)
        dateError = `Podaj datę nie późniejszą niż ${formatDate(latest)} (rok od dziś).`
      else asOf = parsed
    }
    if (dateError) {
      response.status(422)
      return view.render('fees/resident/show', {
        taxpayer,
        statement: null,
        asOf: typeof raw === 'string' ? raw : '',
        today,
        errors: { [AS_OF_PARAM]: dateError },
      })
    }
    const statement = (await accountStatement(taxpayer.id, asOf, taxpayer)) ?? notFound()
    const qrSvg =
      statement.transfer && statement.transfer.amountGr > 0
        ? await paymentQrSvg(statement.transfer.qrText)
        : null
    return view.render('fees/resident/show', {
      taxpayer,
      statement,
      asOf,
      today,
      qrSvg,
      kindLabels: KIND_LABELS,
    })
  }

  async #list(ctx: HttpContext, extra: Record<string, unknown> = {}) {
    const today = todayInWarsaw()
    const visible = await visibleTaxpayers(ctx)
    /* The list shows only totals: the ledger alone, not the whole statement (same replay, same figures). */
    const accounts = await Promise.all(
      visible.map(async (taxpayer) => {
        const ledger = await ledgerOf(taxpayer.id, today)
        return { taxpayer, totals: ledger.totals }
      })
    )
    return ctx.view.render('fees/resident/index', {
      accounts,
      today,
      kindLabels: KIND_LABELS,
      ...extra,
    })
  }

  async #throttled(ctx: HttpContext, state: ThrottleState) {
    ctx.response.status(429)
    ctx.response.header('Retry-After', String(Math.max(1, state.retryAfterSeconds)))
    return this.#list(ctx, { formError: throttledMessage(state) })
  }
}

import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'
import { parseIsoDate, todayInWarsaw } from '#core/services/calendar'
import { taxpayers, type TaxpayerRow } from '#fees/services/taxpayers'

/* What the clerk's controllers share: the 404 for unknown ids and the way domain errors go back to the form. */

export function notFound(): never {
  throw new Exception('Nie znaleziono', { status: 404, code: 'E_NOT_FOUND' })
}

export function idParam(ctx: HttpContext): number {
  const id = Number(ctx.params.id)
  if (!Number.isSafeInteger(id) || id <= 0) notFound()
  return id
}

export async function taxpayerOr404(ctx: HttpContext): Promise<TaxpayerRow> {
  const taxpayer = await taxpayers.find(idParam(ctx))
  return taxpayer ?? notFound()
}

/** The "as of" date of a GET form: a valid YYYY-MM-DD or today in Warsaw. */
export function asOfFrom(ctx: HttpContext, name = 'na-dzien'): string {
  return parseIsoDate(String(ctx.request.qs()[name] ?? '')) ?? todayInWarsaw()
}

/** A service refused the input: back to the form with the message on its field and the input kept. */
export function backWithFieldError(ctx: HttpContext, field: string, message: string) {
  ctx.session.flashAll()
  ctx.session.flash('inputErrorsBag', { [field]: [message] })
  return ctx.response.redirect().back()
}

export function flashSuccess(ctx: HttpContext, message: string) {
  ctx.session.flash('notification', { type: 'success', message })
}

export const KIND_LABELS: Record<string, string> = {
  individual: 'osoba fizyczna',
  business: 'firma lub instytucja',
  joint: 'współwłaściciele (małżonkowie)',
}

import type { HttpContext } from '@adonisjs/core/http'
import { taxpayers, type TaxpayerRow } from '#fees/services/taxpayers'
import { notFound } from '#fees/controllers/clerk_support'

/*
 * What the resident's fees controllers share. A taxpayer the resident may not
 * see answers exactly like one that does not exist (404), so ids reveal nothing.
 */

export function signedInResident(ctx: HttpContext) {
  return ctx.auth.use('resident').getUserOrFail()
}

/** The taxpayer accounts this resident may see: linked ones and the joint ones of a linked member. */
export async function visibleTaxpayers(ctx: HttpContext): Promise<TaxpayerRow[]> {
  return taxpayers.visibleTo(signedInResident(ctx).id)
}

export async function visibleTaxpayerOr404(ctx: HttpContext, id: number): Promise<TaxpayerRow> {
  const visible = await visibleTaxpayers(ctx)
  return visible.find((taxpayer) => taxpayer.id === id) ?? notFound()
}

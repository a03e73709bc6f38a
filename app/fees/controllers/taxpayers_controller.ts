import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import auditLog, { auditContextFrom } from '#core/services/audit_log'
import {
  taxpayers,
  TaxpayerError,
  type TaxpayerData,
  type TaxpayerRow,
} from '#fees/services/taxpayers'
import { accountStatement } from '#fees/services/account_statement'
import { paymentQrSvg } from '#payments/services/transfer_data'
import { taxObjects } from '#fees/services/tax_objects'
import { findCategory, TAX_LABELS, UNIT_LABELS } from '#fees/services/tax_categories'
import { clerkMessages, taxpayerValidator } from '#fees/validators/clerk_validators'
import {
  KIND_LABELS,
  asOfFrom,
  backWithFieldError,
  flashSuccess,
  notFound,
  taxpayerOr404,
} from '#fees/controllers/clerk_support'

const kindOptions = Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))

/** The taxpayer register (ewidencja podatników) and the account card (karta kontowa). */
export default class TaxpayersController {
  async index({ view, bouncer, request }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    const query = String(request.qs().szukaj ?? '').slice(0, 100)
    const results = query ? await taxpayers.search(query) : []
    return view.render('fees/clerk/index', { query, results, kindLabels: KIND_LABELS })
  }

  async create(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    return this.#form(ctx, null, [])
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const data = await ctx.request.validateUsing(taxpayerValidator, {
      messagesProvider: clerkMessages,
    })
    try {
      const taxpayer = await db.transaction(async (trx) => {
        const created = await taxpayers.create(taxpayerData(data), trx)
        await auditLog.recordFromRequest(
          ctx,
          {
            action: 'fees.taxpayer_created',
            subjectType: 'fees_taxpayer',
            subjectId: created.id,
            details: { kind: created.kind },
          },
          trx
        )
        return created
      })
      flashSuccess(ctx, `Dodano podatnika ${taxpayer.name} do ewidencji.`)
      return ctx.response.redirect().toRoute('fees.taxpayers.show', { id: taxpayer.id })
    } catch (error) {
      if (error instanceof TaxpayerError) return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
  }

  async edit(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const members = taxpayer.kind === 'joint' ? await taxpayers.members(taxpayer.id) : []
    return this.#form(ctx, taxpayer, members)
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const data = await ctx.request.validateUsing(taxpayerValidator, {
      messagesProvider: clerkMessages,
    })
    /* The kind decides the account's history (joint liability, schedules): it is fixed once created. */
    if (data.kind !== taxpayer.kind)
      return backWithFieldError(ctx, 'kind', 'Rodzaju podatnika nie można zmienić po utworzeniu.')
    try {
      await taxpayers.update(taxpayer.id, taxpayerData(data), undefined, {
        ...auditContextFrom(ctx),
        action: 'fees.taxpayer_updated',
        subjectType: 'fees_taxpayer',
        subjectId: taxpayer.id,
      })
    } catch (error) {
      if (error instanceof TaxpayerError) return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
    flashSuccess(ctx, 'Zapisano dane podatnika.')
    return ctx.response.redirect().toRoute('fees.taxpayers.show', { id: taxpayer.id })
  }

  /** The account card: the statement as of a date, objects, decisions and linked e-BOK accounts. */
  async show(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const asOf = asOfFrom(ctx)
    const statement = (await accountStatement(taxpayer.id, asOf)) ?? notFound()
    const [objects, residents, qrSvg] = await Promise.all([
      taxObjects.of(taxpayer.id),
      taxpayers.residentsLinkedTo(taxpayer.id),
      /* The clerk can show or print it for a taxpayer at the desk. */
      statement.transfer ? paymentQrSvg(statement.transfer.qrText) : null,
    ])
    return ctx.view.render('fees/clerk/card', {
      statement,
      asOf,
      objects: objects.map((object) => ({
        ...object,
        taxLabel: TAX_LABELS[object.tax],
        categoryLabel: findCategory(object.category)?.label ?? object.category,
        unitLabel: UNIT_LABELS[findCategory(object.category)?.unit ?? 'm2'],
        ended: object.validTo !== null && object.validTo < asOf,
      })),
      residents,
      qrSvg,
      kindLabels: KIND_LABELS,
    })
  }

  async #form(
    ctx: HttpContext,
    taxpayer: TaxpayerRow | null,
    members: { id: number; name: string }[]
  ) {
    /* Joint owners are picked from the register: a GET search on the same page lists individuals with their numbers. */
    const memberQuery = String(ctx.request.qs().szukajOsoby ?? '').slice(0, 100)
    const found = memberQuery ? await taxpayers.search(memberQuery, 20) : []
    const memberResults = found.filter((row) => row.kind === 'individual')
    return ctx.view.render('fees/clerk/taxpayer_form', {
      memberQuery,
      memberResults,
      taxpayer,
      memberIds: members.map((member) => member.id).join(', '),
      members,
      kindOptions,
      kind: String(ctx.request.qs().rodzaj ?? taxpayer?.kind ?? 'individual'),
    })
  }
}

function taxpayerData(data: {
  kind: 'individual' | 'business' | 'joint'
  name: string
  pesel?: string | null
  nip?: string | null
  regon?: string | null
  memberIds?: string | null
  street?: string | null
  postalCode?: string | null
  city?: string | null
  email?: string | null
  phone?: string | null
  notes?: string | null
}): TaxpayerData {
  /* Only the identifiers of the chosen kind are kept: a PESEL typed before switching to "business" is dropped. */
  return {
    kind: data.kind,
    name: data.name,
    pesel: data.kind === 'individual' ? data.pesel : null,
    nip: data.kind === 'business' ? data.nip : null,
    regon: data.kind === 'business' ? data.regon : null,
    memberIds:
      data.kind === 'joint'
        ? String(data.memberIds ?? '')
            .split(/[,;\s]+/)
            .filter(Boolean)
            .map(Number)
        : [],
    street: data.street,
    postalCode: data.postalCode,
    city: data.city,
    email: data.email,
    phone: data.phone,
    notes: data.notes,
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import auditLog from '#core/services/audit_log'
import { todayInWarsaw } from '#core/services/calendar'
import { formatScaled } from '#fees/services/assessment_calculation'
import { TAX_CATEGORIES, TAX_LABELS, UNIT_LABELS } from '#fees/services/tax_categories'
import { taxObjects, TaxObjectError, type TaxObjectRow } from '#fees/services/tax_objects'
import { taxpayers, type TaxpayerRow } from '#fees/services/taxpayers'
import {
  clerkMessages,
  endObjectValidator,
  taxObjectValidator,
} from '#fees/validators/clerk_validators'
import {
  backWithFieldError,
  flashSuccess,
  idParam,
  notFound,
  taxpayerOr404,
} from '#fees/controllers/clerk_support'

const taxOptions = Object.entries(TAX_LABELS).map(([value, label]) => ({ value, label }))
const categoryOptions = TAX_CATEGORIES.map((category) => ({
  value: category.code,
  label: `${TAX_LABELS[category.tax]}: ${category.label} (${UNIT_LABELS[category.unit]})`,
}))

/** Objects of taxation on the account card: add, correct, end. */
export default class TaxObjectsController {
  async create(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    return this.#form(ctx, taxpayer, null)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const data = await ctx.request.validateUsing(taxObjectValidator, {
      messagesProvider: clerkMessages,
    })
    try {
      await db.transaction(async (trx) => {
        const id = await taxObjects.create(taxpayer.id, objectData(data), trx)
        await auditLog.recordFromRequest(
          ctx,
          {
            action: 'fees.tax_object_created',
            subjectType: 'fees_tax_object',
            subjectId: id,
            details: { taxpayerId: taxpayer.id, category: data.category, baseE4: data.base },
          },
          trx
        )
      })
    } catch (error) {
      if (error instanceof TaxObjectError)
        return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
    flashSuccess(ctx, 'Dodano przedmiot opodatkowania.')
    return ctx.response.redirect().toRoute('fees.taxpayers.show', { id: taxpayer.id })
  }

  async edit(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const object = (await taxObjects.find(idParam(ctx))) ?? notFound()
    const taxpayer = (await taxpayers.find(object.taxpayerId)) ?? notFound()
    return this.#form(ctx, taxpayer, object)
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const object = (await taxObjects.find(idParam(ctx))) ?? notFound()
    const data = await ctx.request.validateUsing(taxObjectValidator, {
      messagesProvider: clerkMessages,
    })
    try {
      await db.transaction(async (trx) => {
        await taxObjects.update(object.id, objectData(data), trx)
        await auditLog.recordFromRequest(
          ctx,
          {
            action: 'fees.tax_object_updated',
            subjectType: 'fees_tax_object',
            subjectId: object.id,
            details: { taxpayerId: object.taxpayerId, category: data.category, baseE4: data.base },
          },
          trx
        )
      })
    } catch (error) {
      if (error instanceof TaxObjectError)
        return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
    flashSuccess(ctx, 'Zapisano przedmiot opodatkowania.')
    return ctx.response.redirect().toRoute('fees.taxpayers.show', { id: object.taxpayerId })
  }

  async end(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const object = (await taxObjects.find(idParam(ctx))) ?? notFound()
    const { validTo } = await ctx.request.validateUsing(endObjectValidator, {
      messagesProvider: clerkMessages,
    })
    try {
      await db.transaction(async (trx) => {
        await taxObjects.end(object.id, validTo, trx)
        await auditLog.recordFromRequest(
          ctx,
          {
            action: 'fees.tax_object_ended',
            subjectType: 'fees_tax_object',
            subjectId: object.id,
            details: { taxpayerId: object.taxpayerId, validTo },
          },
          trx
        )
      })
    } catch (error) {
      if (error instanceof TaxObjectError)
        return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
    flashSuccess(
      ctx,
      'Zakończono opodatkowanie przedmiotu. Aby zmienić wymiar, wydaj decyzję zmieniającą.'
    )
    return ctx.response.redirect().toRoute('fees.taxpayers.show', { id: object.taxpayerId })
  }

  #form(ctx: HttpContext, taxpayer: TaxpayerRow, object: TaxObjectRow | null) {
    return ctx.view.render('fees/clerk/object_form', {
      taxpayer,
      object,
      taxOptions,
      categoryOptions,
      today: todayInWarsaw(),
      values: object
        ? {
            base: formatScaled(object.baseE4, 0).replace(/\u00a0/g, ''),
            physicalArea:
              object.physicalAreaE4 === null
                ? ''
                : formatScaled(object.physicalAreaE4, 0).replace(/\u00a0/g, ''),
          }
        : { base: '', physicalArea: '' },
    })
  }
}

function objectData(data: {
  tax: 'property' | 'agricultural' | 'forest'
  category: string
  description: string
  location?: string | null
  /* Already × 10^4 numbers: the scaled rule replaced the typed text. */
  base: string | number
  physicalArea?: string | number | null
  landClass?: string | null
  validFrom: string
  validTo?: string | null
}) {
  return {
    tax: data.tax,
    category: data.category,
    description: data.description,
    location: data.location ?? null,
    baseE4: Number(data.base),
    physicalAreaE4:
      data.physicalArea === undefined || data.physicalArea === null
        ? null
        : Number(data.physicalArea),
    landClass: data.landClass ?? null,
    validFrom: data.validFrom,
    validTo: data.validTo ?? null,
  }
}

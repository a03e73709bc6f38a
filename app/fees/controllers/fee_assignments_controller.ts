import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import auditLog from '#core/services/audit_log'
import { formatMoney } from '#core/services/money'
import { todayInWarsaw } from '#core/services/calendar'
import { describeFeeSchedule } from '#fees/services/fee_schedules'
import { FeeError, assessFee, feeAssessments, feeTypes } from '#fees/services/other_fees'
import {
  assessFeeValidator,
  configurationMessages,
} from '#fees/validators/configuration_validators'
import { backWithFieldError, flashSuccess, taxpayerOr404 } from '#fees/controllers/clerk_support'

/** Other fees (dog fee, market fee …) assessed for one taxpayer. */
export default class FeeAssignmentsController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const today = todayInWarsaw()
    const [assessments, types] = await Promise.all([
      feeAssessments(taxpayer.id),
      feeTypes({ activeOnly: true }),
    ])
    return ctx.view.render('fees/charges/fees', {
      taxpayer,
      today,
      year: Number(today.slice(0, 4)),
      canManage: await ctx.bouncer.allows('manageTaxes'),
      assessments: assessments.map((row) => ({ ...row, totalGr: Number(row.total_gr) })),
      feeTypes: types,
      feeTypeOptions: types.map((type) => ({
        value: type.id,
        label: `${type.name} — ${formatMoney(type.amountGr)}${type.amountRule === 'per_unit' ? ` za ${type.unitLabel ?? 'jednostkę'}` : ' na rok'}, ${describeFeeSchedule(type.schedule)}`,
      })),
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const data = await ctx.request.validateUsing(assessFeeValidator, {
      messagesProvider: configurationMessages,
    })
    let number = ''
    try {
      await db.transaction(async (trx) => {
        const { assessmentId } = await assessFee(
          {
            taxpayerId: taxpayer.id,
            feeTypeId: data.feeTypeId,
            year: data.year,
            units: data.units === undefined ? null : data.units / 10_000,
            issuedOn: data.issuedOn,
            staffId: ctx.auth.use('staff').user?.id ?? null,
          },
          trx
        )
        const row = await trx.from('fees_assessments').where('id', assessmentId).first()
        number = row.number
        await auditLog.recordFromRequest(
          ctx,
          {
            action: 'fees.fee_assessed',
            subjectType: 'fees_assessment',
            subjectId: assessmentId,
            details: { taxpayerId: taxpayer.id, feeTypeId: data.feeTypeId, year: data.year },
          },
          trx
        )
      })
    } catch (error) {
      if (error instanceof FeeError) return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
    flashSuccess(ctx, `Naliczono opłatę ${number}.`)
    return ctx.response.redirect().toRoute('fees.charges.index', { id: taxpayer.id })
  }
}

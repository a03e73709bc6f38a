import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import auditLog from '#core/services/audit_log'
import { todayInWarsaw } from '#core/services/calendar'
import { formatScaled } from '#fees/services/assessment_calculation'
import { describeWasteSchedule } from '#fees/services/fee_schedules'
import {
  WASTE_METHOD_LABELS,
  WASTE_QUANTITY_FIELD,
  WasteFeeError,
  fileWasteDeclaration,
  wasteAssessments,
  wasteDeclarations,
  wasteRateFor,
  wasteRates,
} from '#fees/services/waste_fee'
import {
  configurationMessages,
  wasteDeclarationValidator,
} from '#fees/validators/configuration_validators'
import { backWithFieldError, flashSuccess, taxpayerOr404 } from '#fees/controllers/clerk_support'

/** Waste-fee declarations of one taxpayer and the liability built from them. */
export default class WasteDeclarationsController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const today = todayInWarsaw()
    const [declarations, assessments, rates] = await Promise.all([
      wasteDeclarations(taxpayer.id),
      wasteAssessments(taxpayer.id),
      wasteRates(),
    ])
    const active = assessments.filter((row) => row.status === 'active')
    const [lines, installments] = active.length
      ? await Promise.all([
          db
            .from('fees_assessment_lines')
            .whereIn(
              'assessment_id',
              active.map((row) => row.id)
            )
            .orderBy('position'),
          db
            .from('fees_installments')
            .whereIn(
              'assessment_id',
              active.map((row) => row.id)
            )
            .orderBy('due'),
        ])
      : [[], []]
    const rateNow = wasteRateFor(rates, today.slice(0, 7))
    return ctx.view.render('fees/charges/waste', {
      taxpayer,
      today,
      thisMonth: today.slice(0, 7),
      canManage: await ctx.bouncer.allows('manageTaxes'),
      rateNow: rateNow
        ? {
            ...rateNow,
            methodLabel: WASTE_METHOD_LABELS[rateNow.method],
            field: WASTE_QUANTITY_FIELD[rateNow.method],
            scheduleLabel: describeWasteSchedule(rateNow.schedule),
            rate: formatScaled(rateNow.rateE2, 2),
          }
        : null,
      declarations: declarations
        .map((declaration) => ({
          ...declaration,
          summary: [
            declaration.residents === null ? null : `mieszkańców: ${declaration.residents}`,
            declaration.waterM3E2 === null
              ? null
              : `woda: ${formatScaled(declaration.waterM3E2 * 100, 0)} m³/mies.`,
            declaration.areaM2E2 === null
              ? null
              : `powierzchnia: ${formatScaled(declaration.areaM2E2 * 100, 0)} m²`,
            declaration.households === null ? null : `gospodarstw: ${declaration.households}`,
            declaration.composting ? 'kompostownik' : null,
            declaration.sorting ? null : 'bez segregacji',
          ]
            .filter(Boolean)
            .join(', '),
        }))
        .reverse(),
      assessments: assessments.map((row) => ({
        id: Number(row.id),
        number: row.number,
        year: Number(row.year),
        title: row.title,
        status: row.status,
        totalGr: Number(row.total_gr),
        issuedOn: row.issued_on,
        lines: lines.filter((line) => Number(line.assessment_id) === Number(row.id)),
        installments: installments
          .filter((installment) => Number(installment.assessment_id) === Number(row.id))
          .map((installment) => ({ ...installment, amountGr: Number(installment.amount_gr) })),
      })),
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const data = await ctx.request.validateUsing(wasteDeclarationValidator, {
      messagesProvider: configurationMessages,
    })
    try {
      await db.transaction(async (trx) => {
        const result = await fileWasteDeclaration(
          {
            taxpayerId: taxpayer.id,
            propertyAddress: data.propertyAddress,
            effectiveMonth: data.effectiveMonth,
            residents: data.residents ?? null,
            /* the form takes m³ and m² with up to 2 decimals; the register keeps them × 100 */
            waterM3E2: data.waterM3 === undefined ? null : Math.round(data.waterM3 / 100),
            areaM2E2: data.areaM2 === undefined ? null : Math.round(data.areaM2 / 100),
            households: data.households ?? null,
            composting: data.composting ?? false,
            sorting: !(data.notSorting ?? false),
            filedOn: data.filedOn,
            staffId: ctx.auth.use('staff').user?.id ?? null,
          },
          trx
        )
        await auditLog.recordFromRequest(
          ctx,
          {
            action: 'fees.waste_declaration_filed',
            subjectType: 'fees_waste_declaration',
            subjectId: result.declarationId,
            details: {
              taxpayerId: taxpayer.id,
              effectiveMonth: data.effectiveMonth,
              assessmentIds: result.assessmentIds,
            },
          },
          trx
        )
      })
    } catch (error) {
      if (error instanceof WasteFeeError) return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
    flashSuccess(
      ctx,
      `Przyjęto deklarację od ${data.effectiveMonth}. Opłata za odpady została przeliczona.`
    )
    return ctx.response.redirect().toRoute('fees.waste.index', { id: taxpayer.id })
  }
}

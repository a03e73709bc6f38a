import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import auditLog from '#core/services/audit_log'
import { formatScaled } from '#fees/services/assessment_calculation'
import { ConfigurationError, interestTable } from '#fees/services/fees_configuration'
import {
  configurationMessages,
  interestRateValidator,
  thresholdValidator,
} from '#fees/validators/configuration_validators'
import {
  backWithFieldError,
  flashSuccess,
  idParam,
  notFound,
} from '#fees/controllers/clerk_support'

/** 1450 → "14,50" */
const percent = (bp: number) => formatScaled(bp * 100, 2)

/** The statutory interest rate table (odsetki za zwłokę) and the threshold below which interest is not charged. */
export default class ConfigurationInterestController {
  async index({ view, bouncer }: HttpContext) {
    await bouncer.authorize('configureTaxes')
    const [rates, thresholds] = await Promise.all([
      interestTable.list(),
      interestTable.thresholds(),
    ])
    return view.render('fees/configuration/interest', {
      rates: rates.map((rate) => ({ ...rate, percent: percent(rate.standardBp) })),
      thresholds,
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureTaxes')
    const data = await ctx.request.validateUsing(interestRateValidator, {
      messagesProvider: configurationMessages,
    })
    try {
      await db.transaction(async (trx) => {
        const id = await interestTable.add(trx, {
          effectiveFrom: data.effectiveFrom,
          standardBp: data.rate,
          note: data.note ?? null,
        })
        await auditLog.recordFromRequest(
          ctx,
          {
            action: 'fees.interest_rate_added',
            subjectType: 'fees_interest_rate',
            subjectId: id,
            details: { effectiveFrom: data.effectiveFrom, rateBp: data.rate },
          },
          trx
        )
      })
    } catch (error) {
      if (error instanceof ConfigurationError)
        return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
    flashSuccess(ctx, `Dodano stawkę ${percent(data.rate)}% od ${data.effectiveFrom}.`)
    return ctx.response.redirect().toRoute('fees.configuration.interest')
  }

  async edit(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureTaxes')
    const rate = (await interestTable.find(idParam(ctx))) ?? notFound()
    return ctx.view.render('fees/configuration/interest_form', {
      rate: { ...rate, percent: percent(rate.standardBp) },
    })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureTaxes')
    const id = idParam(ctx)
    ;(await interestTable.find(id)) ?? notFound()
    const data = await ctx.request.validateUsing(interestRateValidator, {
      messagesProvider: configurationMessages,
    })
    try {
      await db.transaction(async (trx) => {
        const before = await interestTable.correct(trx, id, {
          effectiveFrom: data.effectiveFrom,
          standardBp: data.rate,
          note: data.note ?? null,
        })
        await auditLog.recordFromRequest(
          ctx,
          {
            action: 'fees.interest_rate_corrected',
            subjectType: 'fees_interest_rate',
            subjectId: id,
            details: {
              from: { effectiveFrom: before.effectiveFrom, rateBp: before.standardBp },
              to: { effectiveFrom: data.effectiveFrom, rateBp: data.rate },
            },
          },
          trx
        )
      })
    } catch (error) {
      if (error instanceof ConfigurationError)
        return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
    flashSuccess(ctx, `Poprawiono stawkę od ${data.effectiveFrom}.`)
    return ctx.response.redirect().toRoute('fees.configuration.interest')
  }

  async threshold(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureTaxes')
    const data = await ctx.request.validateUsing(thresholdValidator, {
      messagesProvider: configurationMessages,
    })
    await db.transaction(async (trx) => {
      const before = await interestTable.setThreshold(trx, {
        effectiveFrom: data.thresholdFrom,
        amountGr: data.threshold,
      })
      await auditLog.recordFromRequest(
        ctx,
        {
          action: 'fees.interest_threshold_set',
          subjectType: 'setting',
          subjectId: 'fees.interest_threshold_gr',
          details: { effectiveFrom: data.thresholdFrom, fromGr: before, toGr: data.threshold },
        },
        trx
      )
    })
    flashSuccess(ctx, `Zapisano próg odsetek obowiązujący od ${data.thresholdFrom}.`)
    return ctx.response.redirect().toRoute('fees.configuration.interest')
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import auditLog from '#core/services/audit_log'
import { formatScaled } from '#fees/services/assessment_calculation'
import { describeWasteSchedule, parseWasteSchedule } from '#fees/services/fee_schedules'
import {
  ConfigurationError,
  wasteRateTable,
  type WasteRateInput,
} from '#fees/services/fees_configuration'
import {
  WASTE_METHODS,
  WASTE_METHOD_LABELS,
  WASTE_UNITS,
  type WasteRate,
} from '#fees/services/waste_fee'
import {
  configurationMessages,
  wasteRateValidator,
} from '#fees/validators/configuration_validators'
import {
  backWithFieldError,
  flashSuccess,
  idParam,
  notFound,
} from '#fees/controllers/clerk_support'

const methodOptions = WASTE_METHODS.map((method) => ({
  value: method,
  label: `${WASTE_METHOD_LABELS[method]} (stawka za ${WASTE_UNITS[method]} miesięcznie)`,
}))
const scheduleOptions = [
  { value: 'monthly', label: 'co miesiąc' },
  { value: 'quarterly', label: 'co kwartał (w ostatnim miesiącu kwartału)' },
]

function display(rate: WasteRate & { resolution: string | null }) {
  const schedule = parseWasteSchedule(rate.schedule)
  return {
    ...rate,
    methodLabel: WASTE_METHOD_LABELS[rate.method],
    unit: WASTE_UNITS[rate.method],
    rate: formatScaled(rate.rateE2, 2),
    compostingDiscount: formatScaled(rate.compostingDiscountE2, 2),
    multiplier: formatScaled(rate.nonSortingMultiplierPct * 100, 0),
    scheduleLabel: describeWasteSchedule(rate.schedule),
    scheduleKind: schedule?.kind ?? 'monthly',
    scheduleDay: schedule?.day ?? 15,
  }
}

/** Waste-fee method and rates per period (from the council resolution). */
export default class ConfigurationWasteRatesController {
  async index({ view, bouncer }: HttpContext) {
    await bouncer.authorize('configureTaxes')
    const rates = await wasteRateTable.list()
    return view.render('fees/configuration/waste_rates', {
      rates: rates.map(display),
      rate: null,
      methodOptions,
      scheduleOptions,
    })
  }

  async edit(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureTaxes')
    const rate = (await wasteRateTable.find(idParam(ctx))) ?? notFound()
    return ctx.view.render('fees/configuration/waste_rate_form', {
      rate: display(rate),
      methodOptions,
      scheduleOptions,
    })
  }

  async store(ctx: HttpContext) {
    return this.#save(ctx, null)
  }

  async update(ctx: HttpContext) {
    const id = idParam(ctx)
    return this.#save(ctx, id)
  }

  async #save(ctx: HttpContext, id: number | null) {
    await ctx.bouncer.authorize('configureTaxes')
    if (id !== null) (await wasteRateTable.find(id)) ?? notFound()
    const data = await ctx.request.validateUsing(wasteRateValidator, {
      messagesProvider: configurationMessages,
    })
    const input: WasteRateInput = {
      validFrom: data.validFrom,
      method: data.method,
      rateE2: data.rate,
      compostingDiscountE2: data.compostingDiscount ?? 0,
      nonSortingMultiplierPct: data.nonSortingMultiplier,
      schedule: `${data.scheduleKind}:${String(data.scheduleDay).padStart(2, '0')}`,
      resolution: data.resolution ?? null,
    }
    if (input.compostingDiscountE2 > input.rateE2)
      return backWithFieldError(
        ctx,
        'compostingDiscount',
        'Zwolnienie za kompostownik nie może być wyższe niż stawka.'
      )
    try {
      await db.transaction(async (trx) => {
        let subjectId = id
        let before: unknown = null
        if (id === null) subjectId = await wasteRateTable.add(trx, input)
        else before = await wasteRateTable.correct(trx, id, input)
        await auditLog.recordFromRequest(
          ctx,
          {
            action: id === null ? 'fees.waste_rate_added' : 'fees.waste_rate_corrected',
            subjectType: 'fees_waste_rate',
            subjectId,
            details: { ...input, before },
          },
          trx
        )
      })
    } catch (error) {
      if (error instanceof ConfigurationError)
        return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
    flashSuccess(
      ctx,
      id === null
        ? `Dodano stawkę opłaty za odpady od ${input.validFrom}.`
        : `Poprawiono stawkę opłaty za odpady od ${input.validFrom}.`
    )
    return ctx.response.redirect().toRoute('fees.configuration.waste')
  }
}

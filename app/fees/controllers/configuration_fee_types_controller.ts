import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import auditLog from '#core/services/audit_log'
import { formatMoney } from '#core/services/money'
import { describeFeeSchedule, parseFeeSchedule } from '#fees/services/fee_schedules'
import {
  ConfigurationError,
  feeTypeTable,
  type FeeTypeInput,
} from '#fees/services/fees_configuration'
import { feeTypes, type FeeType } from '#fees/services/other_fees'
import { configurationMessages, feeTypeValidator } from '#fees/validators/configuration_validators'
import {
  backWithFieldError,
  flashSuccess,
  idParam,
  notFound,
} from '#fees/controllers/clerk_support'

const amountRuleOptions = [
  { value: 'fixed', label: 'stała kwota na rok' },
  { value: 'per_unit', label: 'kwota za jednostkę (np. za psa, za m² stoiska)' },
]
const scheduleOptions = [
  { value: 'once', label: 'jednorazowo, w podanym dniu' },
  { value: 'quarterly', label: 'co kwartał, do końca kwartału' },
  { value: 'monthly', label: 'co miesiąc, w podanym dniu miesiąca' },
  { value: 'property', label: 'w terminach podatku od nieruchomości (15.03, 15.05, 15.09, 15.11)' },
]
const roundingOptions = [
  { value: 'none', label: 'bez zaokrąglania (co do grosza)' },
  { value: 'zloty', label: 'do pełnych złotych' },
]

const pad = (value: number) => String(value).padStart(2, '0')

function display(feeType: FeeType) {
  const schedule = parseFeeSchedule(feeType.schedule)
  return {
    ...feeType,
    amount: formatMoney(feeType.amountGr).replace(' zł', ''),
    amountLabel:
      feeType.amountRule === 'fixed'
        ? `${formatMoney(feeType.amountGr)} na rok`
        : `${formatMoney(feeType.amountGr)} za ${feeType.unitLabel ?? 'jednostkę'}`,
    scheduleLabel: describeFeeSchedule(feeType.schedule),
    scheduleKind: schedule?.kind ?? 'once',
    scheduleDay: schedule?.kind === 'monthly' ? String(schedule.day) : '',
    scheduleDate: schedule?.kind === 'once' ? `${pad(schedule.day)}.${pad(schedule.month)}` : '',
  }
}

/* The audit log drops keys that look like secrets ("code"): the fee's code goes in as feeSlug. */
function audited({ code, ...rest }: FeeTypeInput | FeeType) {
  return { feeSlug: code, ...rest }
}

const formOptions = { amountRuleOptions, scheduleOptions, roundingOptions }

/** Other fees the office defines itself (dog fee, market fee …). */
export default class ConfigurationFeeTypesController {
  async index({ view, bouncer }: HttpContext) {
    await bouncer.authorize('configureTaxes')
    const all = await feeTypes()
    return view.render('fees/configuration/fee_types', {
      feeTypes: all.map(display),
    })
  }

  async create({ view, bouncer }: HttpContext) {
    await bouncer.authorize('configureTaxes')
    return view.render('fees/configuration/fee_type_form', { feeType: null, ...formOptions })
  }

  async edit(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureTaxes')
    const feeType = (await feeTypeTable.find(idParam(ctx))) ?? notFound()
    return ctx.view.render('fees/configuration/fee_type_form', {
      feeType: display(feeType),
      ...formOptions,
    })
  }

  async store(ctx: HttpContext) {
    return this.#save(ctx, null)
  }

  async update(ctx: HttpContext) {
    return this.#save(ctx, idParam(ctx))
  }

  async #save(ctx: HttpContext, id: number | null) {
    await ctx.bouncer.authorize('configureTaxes')
    if (id !== null) (await feeTypeTable.find(id)) ?? notFound()
    const data = await ctx.request.validateUsing(feeTypeValidator, {
      messagesProvider: configurationMessages,
    })
    const schedule =
      data.scheduleKind === 'once'
        ? `once:${data.scheduleDate}`
        : data.scheduleKind === 'monthly'
          ? `monthly:${pad(data.scheduleDay!)}`
          : data.scheduleKind
    if (data.amount === 0)
      return backWithFieldError(ctx, 'amount', 'Pole „Kwota” musi zawierać kwotę większą od zera.')
    const input: FeeTypeInput = {
      code: data.code,
      name: data.name,
      amountRule: data.amountRule,
      amountGr: data.amount,
      unitLabel: data.unitLabel ?? null,
      schedule,
      rounding: data.rounding,
      isActive: data.isActive ?? false,
    }
    try {
      await db.transaction(async (trx) => {
        let subjectId = id
        let before: unknown = null
        if (id === null) subjectId = await feeTypeTable.create(trx, input)
        else before = await feeTypeTable.update(trx, id, input)
        await auditLog.recordFromRequest(
          ctx,
          {
            action: id === null ? 'fees.fee_type_created' : 'fees.fee_type_updated',
            subjectType: 'fees_fee_type',
            subjectId,
            details: { after: audited(input), before: before ? audited(before as FeeType) : null },
          },
          trx
        )
      })
    } catch (error) {
      if (error instanceof ConfigurationError)
        return backWithFieldError(ctx, error.field, error.message)
      throw error
    }
    flashSuccess(ctx, `Zapisano opłatę „${input.name}”.`)
    return ctx.response.redirect().toRoute('fees.configuration.fees')
  }
}

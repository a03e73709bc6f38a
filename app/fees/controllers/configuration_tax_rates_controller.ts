import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import auditLog from '#core/services/audit_log'
import { todayInWarsaw } from '#core/services/calendar'
import { formatScaled } from '#fees/services/assessment_calculation'
import { TAX_CATEGORIES, TAX_LABELS, UNIT_LABELS } from '#fees/services/tax_categories'
import { ConfigurationError, taxRateTable } from '#fees/services/fees_configuration'
import {
  configurationMessages,
  copyTaxRatesValidator,
  taxRatesValidator,
} from '#fees/validators/configuration_validators'
import { backWithFieldError, flashSuccess } from '#fees/controllers/clerk_support'

/** How a stored rate is shown in its field: złoty with up to 4 decimals, or a percent for value-based bases. */
export function rateInput(unit: string, rateE4: number): string {
  return unit === 'value' ? formatScaled(rateE4 * 100, 0) : formatScaled(rateE4, 2)
}

function yearFrom(ctx: HttpContext): number {
  const year = Number(ctx.request.qs().rok)
  return Number.isInteger(year) && year >= 2000 && year <= 2100
    ? year
    : Number(todayInWarsaw().slice(0, 4))
}

/** Rates of the council resolution (uchwała) per tax year, and the configuration overview. */
export default class ConfigurationTaxRatesController {
  async overview({ view, bouncer }: HttpContext) {
    await bouncer.authorize('configureTaxes')
    return view.render('fees/configuration/index')
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureTaxes')
    const year = yearFrom(ctx)
    const [rates, previous, years] = await Promise.all([
      taxRateTable.forYear(year),
      taxRateTable.forYear(year - 1),
      taxRateTable.years(),
    ])
    const rows = TAX_CATEGORIES.map((category) => {
      const rate = rates.get(category.code)
      const before = previous.get(category.code)
      return {
        code: category.code,
        field: `rate_${category.code}`,
        taxLabel: TAX_LABELS[category.tax],
        label: category.label,
        unitLabel: category.unit === 'value' ? '% wartości' : `zł za ${UNIT_LABELS[category.unit]}`,
        value: rate ? rateInput(category.unit, rate.rateE4) : '',
        previous: before ? rateInput(category.unit, before.rateE4) : null,
      }
    })
    const resolution = [...rates.values()].find((rate) => rate.resolution)?.resolution ?? ''
    return ctx.view.render('fees/configuration/tax_rates', {
      year,
      rows,
      resolution,
      hasPrevious: previous.size > 0,
      years: [...new Set([...years, year])].sort((a, b) => b - a),
    })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureTaxes')
    const data = (await ctx.request.validateUsing(taxRatesValidator, {
      messagesProvider: configurationMessages,
    })) as Record<string, unknown> & { year: number; resolution?: string }
    const rates = Object.fromEntries(
      TAX_CATEGORIES.map((category) => [
        category.code,
        (data[`rate_${category.code}`] as number | undefined) ?? null,
      ])
    )
    await db.transaction(async (trx) => {
      const changed = await taxRateTable.save(trx, {
        year: data.year,
        resolution: data.resolution ?? null,
        rates,
      })
      await auditLog.recordFromRequest(
        ctx,
        {
          action: 'fees.tax_rates_saved',
          subjectType: 'fees_tax_rates',
          subjectId: data.year,
          details: { year: data.year, resolution: data.resolution ?? null, changed },
        },
        trx
      )
    })
    flashSuccess(ctx, `Zapisano stawki na rok ${data.year}.`)
    return ctx.response.redirect(`/panel/podatki/konfiguracja/stawki?rok=${data.year}`)
  }

  async copy(ctx: HttpContext) {
    await ctx.bouncer.authorize('configureTaxes')
    const { year } = await ctx.request.validateUsing(copyTaxRatesValidator, {
      messagesProvider: configurationMessages,
    })
    let copied = 0
    try {
      await db.transaction(async (trx) => {
        copied = await taxRateTable.copyFromPrevious(trx, year)
        await auditLog.recordFromRequest(
          ctx,
          {
            action: 'fees.tax_rates_copied',
            subjectType: 'fees_tax_rates',
            subjectId: year,
            details: { year, from: year - 1, copied },
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
      copied
        ? `Skopiowano ${copied} stawek z roku ${year - 1}. Sprawdź je z nową uchwałą i zapisz zmiany.`
        : `Wszystkie kategorie mają już stawki na rok ${year}; nic nie skopiowano.`
    )
    return ctx.response.redirect(`/panel/podatki/konfiguracja/stawki?rok=${year}`)
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import officeProfileService from '#core/services/office_profile_service'
import { formatMoney } from '#core/services/money'
import { formatScaled } from '#fees/services/assessment_calculation'
import { lateInterest, InterestInputError } from '#fees/services/interest_calculator'
import { interestRates } from '#fees/services/interest_rates'
import { calculatorMessages, calculatorValidator } from '#fees/validators/configuration_validators'

interface CalculatorResult {
  amount: string
  due: string
  paid: string
  days: number
  charged: boolean
  interest: string
  exact: string
  threshold: string
  reason: string
  periods: { from: string; to: string; days: number; rate: string; interest: string }[]
}

/**
 * The residents' late-payment interest calculator: a GET form without session
 * or CSRF (nothing is stored), the same figures as `./ace fees:interest`.
 */
export default class InterestCalculatorController {
  async show(ctx: HttpContext) {
    const query = ctx.request.qs()
    const input = {
      amount: typeof query.amount === 'string' ? query.amount : '',
      due: typeof query.due === 'string' ? query.due : '',
      paid: typeof query.paid === 'string' ? query.paid : '',
    }
    const submitted = ['amount', 'due', 'paid'].some((name) => name in query)
    let errors: Record<string, string[]> = {}
    let result: CalculatorResult | null = null
    if (submitted) {
      const [error, data] = await calculatorValidator.tryValidate(
        { amount: input.amount || null, due: input.due || null, paid: input.paid || null },
        { messagesProvider: calculatorMessages }
      )
      if (error instanceof vineErrors.E_VALIDATION_ERROR) {
        for (const message of error.messages as { field: string; message: string }[])
          errors[message.field] ??= [message.message]
      } else if (error) {
        throw error
      } else if (data) {
        ;({ errors, result } = await this.#calculate(data.amount, data.due, data.paid))
      }
    }
    ctx.response.header('Cache-Control', 'no-store')
    ctx.view.share({ errors })
    return ctx.view.render('fees/public/calculator', {
      office: await officeProfileService.get(),
      input,
      result,
      hasErrors: Object.keys(errors).length > 0,
    })
  }

  async #calculate(
    amountGr: number,
    due: string,
    paid: string
  ): Promise<{ errors: Record<string, string[]>; result: CalculatorResult | null }> {
    const rates = await interestRates.all()
    const firstDay = rates[0]?.from
    if (paid > due && (!firstDay || paid < firstDay))
      return {
        errors: {
          paid: [
            `Pole „Data zapłaty” musi zawierać datę od ${firstDay ?? '—'}: wcześniejszych stawek odsetek nie ma w tabeli.`,
          ],
        },
        result: null,
      }
    const thresholdGr = await interestRates.thresholdGrAt(paid)
    let interest
    try {
      interest = lateInterest({ amountGr, due, paid, rates, thresholdGr })
    } catch (error) {
      if (!(error instanceof InterestInputError)) throw error
      return {
        errors: {
          due: [
            `Pole „Termin płatności” musi zawierać datę, od której tabela zna stawkę odsetek (od ${firstDay}).`,
          ],
        },
        result: null,
      }
    }
    const exactGr = interest.periods.reduce((sum, period) => sum + period.exactGr, 0)
    let reason: string
    if (interest.days === 0) reason = 'Zapłata w terminie lub przed nim: odsetek nie ma.'
    else if (interest.charged)
      reason = `Odsetki przekraczają ${formatMoney(thresholdGr)} (trzykrotność opłaty dodatkowej za list polecony), więc są należne. Kwotę zaokrągla się do pełnych złotych.`
    else
      reason = `Odsetki nie są pobierane, bo po zaokrągleniu do pełnych złotych nie przekraczają ${formatMoney(thresholdGr)} (trzykrotność opłaty dodatkowej za list polecony).`
    return {
      errors: {},
      result: {
        amount: formatMoney(amountGr),
        due,
        paid,
        days: interest.days,
        charged: interest.charged,
        interest: formatMoney(interest.interestGr),
        exact: formatMoney(Math.round(exactGr)),
        threshold: formatMoney(thresholdGr),
        reason,
        periods: interest.periods.map((period) => ({
          from: period.from,
          to: period.to,
          days: period.days,
          rate: formatScaled(period.rateBp * 100, 2),
          interest: formatMoney(period.interestGr),
        })),
      },
    }
  }
}

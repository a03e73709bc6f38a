import type { HttpContext } from '@adonisjs/core/http'
import { residentRegisterValidator } from '#core/validators/auth_validators'
import { residentAccounts } from '#core/services/resident_accounts'
import { passwordProblem } from '#core/services/password_policy'
import { accountTokens } from '#core/services/account_tokens'

export default class ResidentAccountController {
  create({ view }: HttpContext) {
    return view.render('core/resident/register')
  }

  async store(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(residentRegisterValidator)
    const problem = passwordProblem(data.password, [data.email.split('@')[0]])
    if (problem) {
      ctx.session.flashExcept(['password', 'password_confirmation'])
      ctx.session.flash('inputErrorsBag', { password: [problem] })
      return ctx.response.redirect().toRoute('resident.register.show')
    }
    await residentAccounts.register(data, ctx.request.ip())
    return ctx.view.render('core/resident/check_email', { email: data.email })
  }

  async showVerify({ view, params }: HttpContext) {
    const valid = await accountTokens.isValid(
      'email_verification',
      'resident',
      String(params.token)
    )
    return view.render('core/resident/verify', { token: params.token, valid })
  }

  async verify(ctx: HttpContext) {
    const resident = await residentAccounts.verify(String(ctx.params.token), ctx.request.ip())
    if (!resident) {
      return ctx.view.render('core/resident/verify', { token: ctx.params.token, valid: false })
    }
    ctx.session.flash('notification', {
      type: 'success',
      message: 'Adres e-mail został potwierdzony. Możesz się zalogować.',
    })
    return ctx.response.redirect().toRoute('resident.login.show')
  }

  dashboard({ view }: HttpContext) {
    return view.render('core/resident/dashboard')
  }
}

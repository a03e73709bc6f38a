import type { HttpContext } from '@adonisjs/core/http'
import {
  changePasswordValidator,
  emailOnlyValidator,
  newPasswordValidator,
} from '#core/validators/auth_validators'
import { residentAccounts } from '#core/services/resident_accounts'
import { accountTokens } from '#core/services/account_tokens'
import { passwordChangeErrors, passwordProblem } from '#core/services/password_policy'
import db from '@adonisjs/lucid/services/db'
import auditLog from '#core/services/audit_log'
import { sessionRegistry } from '#core/services/session_registry'

export default class ResidentPasswordController {
  forgot({ view }: HttpContext) {
    return view.render('core/resident/forgot')
  }

  /** Same answer whether or not the address has an account. */
  async sendReset(ctx: HttpContext) {
    const { email } = await ctx.request.validateUsing(emailOnlyValidator)
    await residentAccounts.sendReset(email, ctx.request.ip())
    return ctx.view.render('core/resident/check_email', { email, reset: true })
  }

  async showReset({ view, params }: HttpContext) {
    const valid = await accountTokens.isValid('password_reset', 'resident', String(params.token))
    return view.render('core/resident/reset', { token: params.token, valid })
  }

  async reset(ctx: HttpContext) {
    const token = String(ctx.params.token)
    const { password } = await ctx.request.validateUsing(newPasswordValidator)
    const problem = passwordProblem(password)
    if (problem) {
      ctx.session.flash('inputErrorsBag', { password: [problem] })
      return ctx.response.redirect().toRoute('resident.reset.show', { token })
    }
    const resident = await residentAccounts.reset(token, password, ctx.request.ip())
    if (!resident) return ctx.view.render('core/resident/reset', { token, valid: false })
    ctx.session.flash('notification', {
      type: 'success',
      message: 'Hasło zostało zmienione. Zaloguj się nowym hasłem.',
    })
    return ctx.response.redirect().toRoute('resident.login.show')
  }

  edit({ view }: HttpContext) {
    return view.render('core/resident/password')
  }

  async update(ctx: HttpContext) {
    const resident = ctx.auth.use('resident').getUserOrFail()
    const data = await ctx.request.validateUsing(changePasswordValidator)
    const errors = await passwordChangeErrors(resident.password, data, [
      resident.email.split('@')[0],
    ])
    if (errors) {
      ctx.session.flash('inputErrorsBag', errors)
      return ctx.response.redirect().toRoute('resident.password.edit')
    }
    await db.transaction(async (trx) => {
      resident.useTransaction(trx)
      resident.password = data.password
      await resident.save()
      await auditLog.recordFromRequest(
        ctx,
        { action: 'auth.password_changed', subjectType: 'resident', subjectId: resident.id },
        trx
      )
      await sessionRegistry.endOthers(ctx, 'resident', resident.id, trx)
    })
    ctx.session.regenerate()
    ctx.session.flash('notification', { type: 'success', message: 'Hasło zostało zmienione.' })
    return ctx.response.redirect().toRoute('resident.dashboard')
  }
}

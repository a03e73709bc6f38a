import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { changePasswordValidator } from '#core/validators/auth_validators'
import { passwordChangeErrors } from '#core/services/password_policy'
import auditLog from '#core/services/audit_log'
import { sessionRegistry } from '#core/services/session_registry'

export default class StaffPasswordController {
  edit({ view }: HttpContext) {
    return view.render('core/staff/password')
  }

  async update(ctx: HttpContext) {
    const user = ctx.auth.use('staff').getUserOrFail()
    const data = await ctx.request.validateUsing(changePasswordValidator)
    const problem = await passwordChangeErrors(user.password, data, [user.login, user.email])
    if (problem) {
      ctx.session.flash('inputErrorsBag', problem)
      return ctx.response.redirect().toRoute('staff.password.edit')
    }
    await db.transaction(async (trx) => {
      user.useTransaction(trx)
      user.merge({ password: data.password, passwordChangedAt: DateTime.now() })
      await user.save()
      await auditLog.recordFromRequest(
        ctx,
        { action: 'auth.password_changed', subjectType: 'staff_user', subjectId: user.id },
        trx
      )
      await sessionRegistry.endOthers(ctx, 'staff', user.id, trx)
    })
    ctx.session.regenerate()
    ctx.session.flash('notification', { type: 'success', message: 'Hasło zostało zmienione.' })
    return ctx.response.redirect().toRoute('staff.dashboard')
  }
}

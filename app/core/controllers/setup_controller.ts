import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { errors } from '@adonisjs/core'
import { setupValidator } from '#core/validators/office_validators'
import setupState from '#core/services/setup_state'
import officeProfileService from '#core/services/office_profile_service'
import StaffUser from '#core/models/staff_user'
import { whereHasRole } from '#core/services/roles'
import auditLog from '#core/services/audit_log'
import { passwordProblem } from '#core/services/password_policy'
import { storeUpload, UploadRejectedError } from '#core/services/uploads'

/** First run: the office profile and the first administrator, exactly once. */
export default class SetupController {
  async #guard(ctx: HttpContext) {
    if (await setupState.isComplete()) {
      throw new errors.E_ROUTE_NOT_FOUND([ctx.request.method(), ctx.request.url()])
    }
  }

  async show(ctx: HttpContext) {
    await this.#guard(ctx)
    ctx.response.header('Cache-Control', 'no-store')
    return ctx.view.render('core/setup/show')
  }

  async store(ctx: HttpContext) {
    await this.#guard(ctx)
    const { logo, adminLogin, adminName, adminEmail, password, ...profile } =
      await ctx.request.validateUsing(setupValidator)
    const weak = passwordProblem(password, [adminLogin, adminEmail])
    if (weak) {
      ctx.session.flashExcept(['password', 'password_confirmation', 'logo'])
      ctx.session.flash('inputErrorsBag', { password: [weak] })
      return ctx.response.redirect().toRoute('setup.show')
    }
    let logoPath: string | null = null
    if (logo) {
      try {
        logoPath = await storeUpload(logo, 'office')
      } catch (error) {
        if (!(error instanceof UploadRejectedError)) throw error
        ctx.session.flashExcept(['password', 'password_confirmation', 'logo'])
        ctx.session.flash('inputErrorsBag', { logo: [error.message] })
        return ctx.response.redirect().toRoute('setup.show')
      }
    }
    await db.transaction(async (trx) => {
      /* Re-checked inside the transaction: two browsers finishing setup at once get one admin. */
      const existingAdmin = await whereHasRole(trx.from('staff_users'), 'admin').first()
      if (existingAdmin)
        throw new errors.E_ROUTE_NOT_FOUND([ctx.request.method(), ctx.request.url()])
      await officeProfileService.save(
        { ...profile, openingHours: profile.openingHours ?? null, logoPath },
        trx
      )
      const admin = await StaffUser.create(
        {
          login: adminLogin,
          fullName: adminName,
          email: adminEmail,
          roles: ['admin'],
          password,
          isActive: true,
        },
        { client: trx }
      )
      await auditLog.record(
        {
          actor: { realm: 'staff', id: admin.id, label: admin.login },
          action: 'setup.completed',
          subjectType: 'office_profile',
          subjectId: 1,
          ip: ctx.request.ip(),
          details: { office: profile.name },
        },
        trx
      )
    })
    setupState.forget()
    ctx.session.flash('notification', {
      type: 'success',
      message:
        'Konfiguracja zakończona. Zaloguj się jako administrator i włącz weryfikację dwuetapową.',
    })
    return ctx.response.redirect().toRoute('staff.login.show')
  }
}

import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import Resident from '#core/models/resident'
import { residentLoginValidator } from '#core/validators/auth_validators'
import { LoginThrottle, throttleMessage } from '#core/services/login_throttle'
import { residentAccounts } from '#core/services/resident_accounts'
import auditLog from '#core/services/audit_log'
import { signIn, signOut } from '#core/services/realm_sessions'

const throttle = new LoginThrottle('resident')

export default class ResidentSessionController {
  show({ view }: HttpContext) {
    return view.render('core/resident/login')
  }

  async store(ctx: HttpContext) {
    const { request, response, session, view } = ctx
    const { email, password } = await request.validateUsing(residentLoginValidator)
    const ip = request.ip()
    const audit = (action: string, id: number | null, details: Record<string, unknown> = {}) =>
      auditLog.record({
        actor: { realm: 'resident', id, label: email.slice(0, 100) },
        action,
        subjectType: 'resident',
        subjectId: id,
        ip,
        details,
      })

    const blocked = await throttle.check(email, ip)
    if (blocked.blocked) {
      await audit('auth.login_throttled', null)
      response.status(429)
      response.header('Retry-After', String(Math.max(1, blocked.retryAfterSeconds)))
      return view.render('core/resident/login', { formError: throttleMessage(blocked), email })
    }
    let resident: Resident | null = null
    try {
      resident = await Resident.verifyCredentials(email, password)
    } catch {
      resident = null
    }
    if (!resident || !resident.isActive) {
      const state = await throttle.fail(email, ip)
      await audit('auth.login_failed', resident?.id ?? null)
      if (state.blocked) {
        response.status(429)
        return view.render('core/resident/login', { formError: throttleMessage(state), email })
      }
      session.flash('email', email)
      session.flash('formError', 'Nieprawidłowy adres e-mail lub hasło.')
      return response.redirect().toRoute('resident.login.show')
    }
    await throttle.succeed(email)
    if (!resident.emailVerifiedAt) {
      await residentAccounts.resendVerification(resident)
      session.flash('notification', {
        type: 'warning',
        message: 'Najpierw potwierdź adres e-mail. Wysłaliśmy nowe łącze aktywacyjne.',
      })
      return response.redirect().toRoute('resident.login.show')
    }
    await signIn(ctx, 'resident', resident)
    resident.lastLoginAt = DateTime.now()
    await resident.save()
    await audit('auth.login', resident.id)
    return response.redirect().toRoute('resident.dashboard')
  }

  async destroy(ctx: HttpContext) {
    await signOut(ctx, 'resident')
    return ctx.response.redirect().toRoute('resident.login.show')
  }
}

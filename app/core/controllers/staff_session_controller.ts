import type { HttpContext } from '@adonisjs/core/http'
import { staffLoginValidator, totpCodeValidator } from '#core/validators/auth_validators'
import { StaffLogin } from '#core/services/staff_login'
import { throttleMessage } from '#core/services/login_throttle'
import { signOut } from '#core/services/realm_sessions'
import totp from '#core/services/totp'

const INVALID = 'Nieprawidłowy login lub hasło.'

export default class StaffSessionController {
  show({ view }: HttpContext) {
    return view.render('core/staff/login')
  }

  async store(ctx: HttpContext) {
    const { request, response, session, view } = ctx
    const { login, password } = await request.validateUsing(staffLoginValidator)
    const result = await new StaffLogin(ctx).passwordStep(login, password)
    switch (result.kind) {
      case 'throttled':
        response.status(429)
        response.header('Retry-After', String(Math.max(1, result.state.retryAfterSeconds)))
        return view.render('core/staff/login', { formError: throttleMessage(result.state), login })
      case 'invalid':
        session.flash('login', login)
        session.flash('formError', INVALID)
        return response.redirect().toRoute('staff.login.show')
      case 'totp':
        return response.redirect().toRoute('staff.totp.show')
      case 'enroll':
        return response.redirect().toRoute('staff.enroll.show')
      case 'done':
        return response.redirect().toRoute('staff.dashboard')
    }
  }

  async showTotp(ctx: HttpContext) {
    const user = await new StaffLogin(ctx).pendingUser('totp')
    if (!user) return ctx.response.redirect().toRoute('staff.login.show')
    return ctx.view.render('core/staff/totp')
  }

  async verifyTotp(ctx: HttpContext) {
    const flow = new StaffLogin(ctx)
    const user = await flow.pendingUser('totp')
    if (!user) return ctx.response.redirect().toRoute('staff.login.show')
    const { code } = await ctx.request.validateUsing(totpCodeValidator)
    const outcome = await flow.totpStep(user, code)
    if (outcome === 'ok') return ctx.response.redirect().toRoute('staff.dashboard')
    if (outcome === 'throttled') {
      ctx.session.forget('pending_staff')
      ctx.response.status(429)
      return ctx.view.render('core/staff/login', {
        formError: throttleMessage({ blocked: true, retryAfterSeconds: 900 }),
      })
    }
    ctx.session.flash('errors', {
      code: 'Kod jest nieprawidłowy lub został już użyty. Wpisz aktualny kod z aplikacji.',
    })
    ctx.session.flash('inputErrorsBag', {
      code: ['Kod jest nieprawidłowy lub został już użyty. Wpisz aktualny kod z aplikacji.'],
    })
    return ctx.response.redirect().toRoute('staff.totp.show')
  }

  async showEnroll(ctx: HttpContext) {
    const user = await new StaffLogin(ctx).pendingUser('enroll')
    if (!user) return ctx.response.redirect().toRoute('staff.login.show')
    let stored = ctx.session.get('enroll_secret') as string | undefined
    let secret = stored ? totp.decrypt(stored) : null
    if (!secret) {
      secret = totp.newSecret()
      stored = totp.encrypt(secret)
      ctx.session.put('enroll_secret', stored)
    }
    const label = `${user.login}`
    return ctx.view.render('core/staff/enroll', {
      qr: await totp.qrDataUrl(secret, label),
      secret: secret.match(/.{1,4}/g)!.join(' '),
      user,
    })
  }

  async confirmEnroll(ctx: HttpContext) {
    const flow = new StaffLogin(ctx)
    const user = await flow.pendingUser('enroll')
    const stored = ctx.session.get('enroll_secret') as string | undefined
    const secret = stored ? totp.decrypt(stored) : null
    if (!user || !secret) return ctx.response.redirect().toRoute('staff.login.show')
    const { code } = await ctx.request.validateUsing(totpCodeValidator)
    if (!(await flow.enrollStep(user, secret, code))) {
      ctx.session.flash('inputErrorsBag', {
        code: [
          'Kod się nie zgadza. Sprawdź, czy zegar telefonu jest ustawiony automatycznie, i wpisz aktualny kod.',
        ],
      })
      return ctx.response.redirect().toRoute('staff.enroll.show')
    }
    ctx.session.forget('enroll_secret')
    ctx.session.flash('notification', {
      type: 'success',
      message:
        'Weryfikacja dwuetapowa jest włączona. Przy każdym logowaniu podasz kod z aplikacji.',
    })
    return ctx.response.redirect().toRoute('staff.dashboard')
  }

  async destroy(ctx: HttpContext) {
    await signOut(ctx, 'staff')
    return ctx.response.redirect().toRoute('staff.login.show')
  }
}

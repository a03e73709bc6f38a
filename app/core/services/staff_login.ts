import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import StaffUser from '#core/models/staff_user'
import auditLog from '#core/services/audit_log'
import totp from '#core/services/totp'
import { LoginThrottle, type ThrottleState } from '#core/services/login_throttle'
import { SESSION_LIMITS } from '#core/services/session_limits'
import { signIn } from '#core/services/realm_sessions'

export const staffThrottle = new LoginThrottle('staff')
const totpThrottle = new LoginThrottle('staff-totp')

export type PasswordStepResult =
  | { kind: 'throttled'; state: ThrottleState }
  | { kind: 'invalid' }
  | { kind: 'totp' }
  | { kind: 'enroll' }
  | { kind: 'done'; user: StaffUser }

interface PendingLogin {
  id: number
  at: number
  stage: 'totp' | 'enroll'
}

/**
 * Staff sign-in in two steps: password, then a TOTP code for accounts that
 * have one (administrators must enrol before their first session). The guard
 * only logs a user in once every step has passed.
 */
export class StaffLogin {
  constructor(private readonly ctx: HttpContext) {}

  get #ip() {
    return this.ctx.request.ip()
  }

  async passwordStep(login: string, password: string): Promise<PasswordStepResult> {
    const throttled = await staffThrottle.check(login, this.#ip)
    if (throttled.blocked) {
      await this.#audit('auth.login_throttled', null, login)
      return { kind: 'throttled', state: throttled }
    }
    let user: StaffUser | null = null
    try {
      user = await StaffUser.verifyCredentials(login, password)
    } catch {
      user = null
    }
    if (!user || !user.isActive) {
      const state = await staffThrottle.fail(login, this.#ip)
      await this.#audit('auth.login_failed', user?.id ?? null, login, {
        reason: user ? 'account disabled' : 'bad credentials',
      })
      return state.blocked ? { kind: 'throttled', state } : { kind: 'invalid' }
    }
    await staffThrottle.succeed(login)
    if (user.hasTotp || user.isAdmin) {
      const stage = user.hasTotp ? 'totp' : 'enroll'
      this.ctx.session.put('pending_staff', {
        id: user.id,
        at: Date.now(),
        stage,
      } satisfies PendingLogin)
      return { kind: stage }
    }
    await this.complete(user, 'password')
    return { kind: 'done', user }
  }

  /** The account waiting for its second step, if the password step was recent. */
  async pendingUser(stage: PendingLogin['stage']): Promise<StaffUser | null> {
    const pending = this.ctx.session.get('pending_staff') as PendingLogin | undefined
    if (
      !pending ||
      pending.stage !== stage ||
      Date.now() - pending.at > SESSION_LIMITS.pendingTotpMs
    )
      return null
    const user = await StaffUser.find(pending.id)
    return user && user.isActive ? user : null
  }

  async totpStep(user: StaffUser, code: string): Promise<'ok' | 'invalid' | 'throttled'> {
    const throttled = await totpThrottle.check(user.login, this.#ip)
    if (throttled.blocked) return 'throttled'
    const secret = user.totpSecret ? totp.decrypt(user.totpSecret) : null
    const step = secret
      ? totp.verify(secret, code, user.totpLastStep === null ? null : Number(user.totpLastStep))
      : null
    /*
     * Check and use the code in one conditional update: of several requests sending the same
     * code at the same moment, only the one whose update finds the older step gets in.
     */
    if (step === null || !(await claimTotpStep(user.id, step))) {
      const state = await totpThrottle.fail(user.login, this.#ip)
      await this.#audit('auth.totp_failed', user.id, user.login)
      return state.blocked ? 'throttled' : 'invalid'
    }
    await totpThrottle.succeed(user.login)
    user.totpLastStep = step
    await this.complete(user, 'totp')
    return 'ok'
  }

  /** First TOTP enrolment: the code proves the app was set up with this secret. */
  async enrollStep(user: StaffUser, secret: string, code: string): Promise<boolean> {
    const step = totp.verify(secret, code, null)
    if (step === null) {
      await this.#audit('auth.totp_enroll_failed', user.id, user.login)
      return false
    }
    user.merge({
      totpSecret: totp.encrypt(secret),
      totpEnabledAt: DateTime.now(),
      totpLastStep: step,
    })
    await user.save()
    await auditLog.record({
      actor: { realm: 'staff', id: user.id, label: user.login },
      action: 'auth.totp_enrolled',
      subjectType: 'staff_user',
      subjectId: user.id,
      ip: this.#ip,
    })
    await this.complete(user, 'totp')
    return true
  }

  async complete(user: StaffUser, method: 'password' | 'totp') {
    this.ctx.session.forget('pending_staff')
    await signIn(this.ctx, 'staff', user)
    user.lastLoginAt = DateTime.now()
    await user.save()
    await this.#audit('auth.login', user.id, user.login, { method })
  }

  async #audit(
    action: string,
    id: number | null,
    label: string,
    details: Record<string, unknown> = {}
  ) {
    await auditLog.record({
      actor: { realm: 'staff', id, label: label.slice(0, 60) },
      action,
      subjectType: 'staff_user',
      subjectId: id,
      ip: this.#ip,
      details,
    })
  }
}

/** Records `step` as the last used TOTP step unless it (or a later one) was used already. */
async function claimTotpStep(userId: number, step: number): Promise<boolean> {
  const changed = await db
    .from('staff_users')
    .where('id', userId)
    .where((query) => query.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
    .update({ totp_last_step: step })
  return Number(Array.isArray(changed) ? changed[0] : changed) === 1
}

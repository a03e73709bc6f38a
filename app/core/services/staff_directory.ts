import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import { sessionRegistry } from '#core/services/session_registry'
import auditLog, { type AuditActor } from '#core/services/audit_log'
import { type StaffRole, whereHasRole } from '#core/services/roles'

export class LastAdminError extends Error {
  constructor() {
    super('Nie można odebrać roli administratora ani wyłączyć ostatniego aktywnego administratora.')
  }
}

export interface StaffChanges {
  fullName: string
  email: string
  unit: string | null
  roles: StaffRole[]
  isActive: boolean
  resetTotp: boolean
}

/** Staff accounts: creation, role changes and disabling, each audited in the same transaction. */
export const staffDirectory = {
  async create(
    input: {
      login: string
      fullName: string
      email: string
      unit: string | null
      roles: StaffRole[]
      password: string
    },
    actor: AuditActor,
    ip: string
  ) {
    return db.transaction(async (trx) => {
      const user = await StaffUser.create({ ...input, isActive: true }, { client: trx })
      await auditLog.record(
        {
          actor,
          ip,
          action: 'staff.created',
          subjectType: 'staff_user',
          subjectId: user.id,
          details: { login: user.login, roles: user.roles },
        },
        trx
      )
      return user
    })
  },

  async update(user: StaffUser, changes: StaffChanges, actor: AuditActor, ip: string) {
    const before = { roles: [...user.roles], isActive: user.isActive }
    await db.transaction(async (trx) => {
      user.useTransaction(trx)
      const losesAdmin =
        before.roles.includes('admin') && (!changes.roles.includes('admin') || !changes.isActive)
      if (losesAdmin) {
        const admins = await whereHasRole(trx.from('staff_users'), 'admin')
          .where('is_active', true)
          .whereNot('id', user.id)
          .count('* as total')
          .first()
        if (Number(admins?.total ?? 0) === 0) throw new LastAdminError()
      }
      user.merge({
        fullName: changes.fullName,
        email: changes.email,
        unit: changes.unit,
        roles: changes.roles,
        isActive: changes.isActive,
      })
      if (changes.resetTotp)
        user.merge({ totpSecret: null, totpEnabledAt: null, totpLastStep: null })
      await user.save()
      const rolesChanged = before.roles.join(',') !== [...changes.roles].sort().join(',')
      if (rolesChanged) {
        await auditLog.record(
          {
            actor,
            ip,
            action: 'staff.roles_changed',
            subjectType: 'staff_user',
            subjectId: user.id,
            details: { from: before.roles, to: user.roles },
          },
          trx
        )
      }
      if (before.isActive !== changes.isActive) {
        await auditLog.record(
          {
            actor,
            ip,
            action: changes.isActive ? 'staff.enabled' : 'staff.disabled',
            subjectType: 'staff_user',
            subjectId: user.id,
          },
          trx
        )
      }
      if (changes.resetTotp) {
        await auditLog.record(
          { actor, ip, action: 'staff.totp_reset', subjectType: 'staff_user', subjectId: user.id },
          trx
        )
      }
      await auditLog.record(
        { actor, ip, action: 'staff.updated', subjectType: 'staff_user', subjectId: user.id },
        trx
      )
    })
    if (!changes.isActive || changes.resetTotp) await this.endSessions(user)
  },

  /** Ends every session of a staff member: the next request of any of them is signed out. */
  async endSessions(user: StaffUser) {
    await sessionRegistry.endAll('staff', user.id)
  },
}

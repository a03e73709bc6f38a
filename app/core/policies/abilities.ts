import { Bouncer } from '@adonisjs/bouncer'
import type StaffUser from '#core/models/staff_user'

/*
 * Staff abilities of the core module. Every staff action names one of these;
 * the role × route matrix test walks all routes against them.
 */
const staffOnly = (check: (user: StaffUser) => boolean) =>
  Bouncer.ability(
    (user: unknown) =>
      /* Lucid models are proxies without a "has" trap: `'roles' in user` is always false. */
      typeof user === 'object' &&
      user !== null &&
      Array.isArray((user as StaffUser).roles) &&
      check(user as StaffUser)
  )

export const viewDashboard = staffOnly((user) => user.isActive)
export const manageOffice = staffOnly((user) => user.isAdmin)
export const manageStaff = staffOnly((user) => user.isAdmin)
export const viewAudit = staffOnly((user) => user.isAdmin)
export const viewOutbox = staffOnly((user) => user.hasRole('admin', 'manager'))

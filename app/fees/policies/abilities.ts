import { Bouncer } from '@adonisjs/bouncer'
import type StaffUser from '#core/models/staff_user'

/*
 * Tax data is covered by tax secrecy (Tax Ordinance art. 293): only the
 * treasurer's office (the treasurer and clerks of the finance unit, FN) and
 * the managers who sign decisions see it; the IT administrator does not.
 */
const FINANCE_UNIT = 'FN'

const staffOnly = (check: (user: StaffUser) => boolean) =>
  Bouncer.ability(
    (user: unknown) =>
      typeof user === 'object' &&
      user !== null &&
      Array.isArray((user as StaffUser).roles) &&
      (user as StaffUser).isActive &&
      check(user as StaffUser)
  )

const isFinanceClerk = (user: StaffUser) => user.hasRole('clerk') && user.unit === FINANCE_UNIT

/** See taxpayers, their accounts, lists and reports. */
export const viewTaxes = staffOnly(
  (user) => user.hasRole('treasurer', 'manager') || isFinanceClerk(user)
)
/** Keep the register: taxpayers, objects, declarations, decisions, bookings, reminders, imports. */
export const manageTaxes = staffOnly((user) => user.hasRole('treasurer') || isFinanceClerk(user))
/** Rates of the council resolutions, fee types, waste-fee rates, the interest table and threshold. */
export const configureTaxes = staffOnly((user) => user.hasRole('treasurer'))

import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import Resident from '#core/models/resident'
import totp from '#core/services/totp'
import officeProfileService from '#core/services/office_profile_service'
import setupState from '#core/services/setup_state'
import type { StaffRole } from '#core/services/roles'

export const PASSWORD = 'zielona łąka nad Wisłą'
export const TOTP_SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU'

/** An office profile and an administrator, so the staff panel is past the setup wizard. */
export async function withOffice() {
  await officeProfileService.save({
    name: 'Urząd Gminy Testowa',
    teryt: '0201011',
    street: 'ul. Testowa 1',
    postalCode: '12-345',
    city: 'Testowo',
    nip: '5213017228',
    regon: '012345675',
    bankAccount: '61109010140000071219812874',
    email: 'urzad@testowa.localhost',
    phone: '+48 12 345 67 89',
  })
  await makeStaff('informatyk', ['admin'], { totp: true })
  setupState.forget()
}

export async function makeStaff(
  login: string,
  roles: StaffRole[],
  options: { totp?: boolean; active?: boolean } = {}
) {
  return StaffUser.create({
    login,
    fullName: `Test ${login}`,
    email: `${login}@testowa.localhost`,
    roles,
    unit: 'OR',
    password: PASSWORD,
    isActive: options.active ?? true,
    ...(options.totp
      ? { totpSecret: totp.encrypt(TOTP_SECRET), totpEnabledAt: DateTime.now() }
      : {}),
  })
}

export async function makeResident(email: string, verified = true) {
  return Resident.create({
    email,
    fullName: 'Jan Mieszkaniec',
    password: PASSWORD,
    isActive: true,
    emailVerifiedAt: verified ? DateTime.now() : null,
  })
}

export function currentCode(offsetSteps = 0) {
  return totp.generate(TOTP_SECRET, Date.now() + offsetSteps * 30_000)
}

/** Test state outside the per-test transaction: throttling counters and cached setup state. */
export async function resetSharedState() {
  await db.from('rate_limits').delete()
  officeProfileService.forget()
  setupState.forget()
}

import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import StaffUser from '#core/models/staff_user'
import Resident from '#core/models/resident'
import totp from '#core/services/totp'
import officeProfileService from '#core/services/office_profile_service'
import setupState from '#core/services/setup_state'
import type { StaffRole } from '#core/services/roles'

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url))

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

export { CookieBrowser } from '#tests/cookie_browser'

/** Counts rows of an audit action (optionally for one actor label). */
export async function auditCount(action: string, actorLabel?: string): Promise<number> {
  const query = db.from('audit_entries').where('action', action)
  if (actorLabel) query.where('actor_label', actorLabel)
  const row = await query.count('* as total').first()
  return Number(row?.total ?? 0)
}

export interface AceRun {
  exitCode: number
  stdout: string
  stderr: string
}

/** Runs ./ace as an operator would (own process, own database connection), capturing both streams and the exit code. */
export function runAce(args: string[], env: Record<string, string> = {}): Promise<AceRun> {
  return new Promise((resolve) => {
    execFile(
      './ace',
      args,
      { cwd: PROJECT_ROOT, env: { ...process.env, ...env, FORCE_COLOR: '0' }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({ exitCode, stdout, stderr })
      }
    )
  })
}

/** Lets a test rewrite audit entries past the database's append-only triggers (tamper tests, cleanup). */
export async function disableAppendOnly(client: QueryClientContract = db.connection()) {
  if (client.dialect.name === 'postgres') {
    await client.rawQuery('ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update')
  } else {
    await client.rawQuery('DROP TRIGGER audit_entries_no_update')
    await client.rawQuery('DROP TRIGGER audit_entries_no_delete')
  }
}

/** Puts the append-only triggers back exactly as the migration made them. */
export async function restoreAppendOnly(client: QueryClientContract = db.connection()) {
  if (client.dialect.name === 'postgres') {
    await client.rawQuery('ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_update')
  } else {
    await client.rawQuery(`CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;`)
    await client.rawQuery(`CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;`)
  }
}

/** The id of the newest audit entry (0 when there is none). */
export async function lastAuditId(): Promise<number> {
  const row = await db.from('audit_entries').max('id as id').first()
  return Number(row?.id ?? 0)
}

/**
 * Removes the audit entries a test had to commit after `afterId` (another
 * process had to read its rows), so later tests find the chain as it was.
 */
export async function removeCommittedAuditEntries(afterId: number) {
  await disableAppendOnly()
  try {
    await db.from('audit_entries').where('id', '>', afterId).delete()
  } finally {
    await restoreAppendOnly()
  }
}

/** A TCP port nothing listens on now, for a server a test starts in its own process. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { sqlTimestamp } from '#core/services/db_time'
import StaffUser from '#core/models/staff_user'
import Resident from '#core/models/resident'
import Locality from '#core/models/locality'
import officeProfileService from '#core/services/office_profile_service'
import totp from '#core/services/totp'
import auditLog, { SYSTEM_ACTOR } from '#core/services/audit_log'
import { DEMO_PASSWORD, type DemoContext } from '#core/services/demo_registry'
import { FIRST_NAMES, SURNAMES, feminine } from '#core/services/polish_names'
import type { StaffRole } from '#core/services/roles'

/** A fixed demo secret so the printed key and `./ace demo:code` agree across restarts. */
export const DEMO_ADMIN_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

const LOCALITIES = [
  { name: 'Przykładowo', kind: 'wieś', simc: '0912345', postalCode: '12-345', population: 1840 },
  { name: 'Dębowa Wola', kind: 'wieś', simc: '0912351', postalCode: '12-345', population: 620 },
  { name: 'Lipnik', kind: 'wieś', simc: '0912368', postalCode: '12-346', population: 455 },
  { name: 'Stara Kuźnia', kind: 'osada', simc: '0912374', postalCode: '12-346', population: 210 },
  { name: 'Zagórze', kind: 'wieś', simc: '0912380', postalCode: '12-347', population: 735 },
  { name: 'Brzozówka', kind: 'kolonia', simc: '0912397', postalCode: '12-347', population: 128 },
]

const STAFF: {
  login: string
  fullName: string
  roles: StaffRole[]
  unit: string
  email: string
}[] = [
  {
    login: 'admin',
    fullName: 'Anna Nowak',
    roles: ['admin'],
    unit: 'OR',
    email: 'informatyk@przykladowa.localhost',
  },
  {
    login: 'sekretarz',
    fullName: 'Jan Kowalski',
    roles: ['manager', 'clerk'],
    unit: 'OR',
    email: 'sekretarz@przykladowa.localhost',
  },
  {
    login: 'skarbnik',
    fullName: 'Ewa Wiśniewska',
    roles: ['treasurer', 'manager'],
    unit: 'FN',
    email: 'skarbnik@przykladowa.localhost',
  },
  {
    login: 'podatki',
    fullName: 'Maria Kamińska',
    roles: ['clerk', 'treasurer'],
    unit: 'FN',
    email: 'podatki@przykladowa.localhost',
  },
  {
    login: 'urzednik',
    fullName: 'Piotr Wójcik',
    roles: ['clerk'],
    unit: 'RI',
    email: 'urzednik@przykladowa.localhost',
  },
  {
    login: 'nauczyciel',
    fullName: 'Tomasz Lewandowski',
    roles: ['teacher'],
    unit: 'SP',
    email: 'sp1@przykladowa.localhost',
  },
]

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
}

export async function seedCoreDemo({ trx, scale, logins }: DemoContext) {
  await officeProfileService.save(
    {
      name: 'Urząd Gminy Przykładowa',
      teryt: '0912012',
      street: 'ul. Rynek 1',
      postalCode: '12-345',
      city: 'Przykładowo',
      nip: '5213017228',
      regon: '012345675',
      bankAccount: '61109010140000071219812874',
      email: 'urzad@przykladowa.localhost',
      phone: '+48 12 345 67 89',
      openingHours: 'poniedziałek 8:00–16:00\nwtorek–czwartek 7:30–15:30\npiątek 7:30–14:00',
      logoPath: null,
    },
    trx
  )
  for (const locality of LOCALITIES) await Locality.create(locality, { client: trx })

  for (const person of STAFF) {
    const isAdmin = person.roles.includes('admin')
    await StaffUser.create(
      {
        ...person,
        password: DEMO_PASSWORD,
        isActive: true,
        ...(isAdmin
          ? { totpSecret: totp.encrypt(DEMO_ADMIN_TOTP), totpEnabledAt: DateTime.now() }
          : {}),
      },
      { client: trx }
    )
    logins.push({
      realm: 'panel /panel/logowanie',
      login: person.login,
      password: DEMO_PASSWORD,
      role: person.roles.join('+'),
      note: isAdmin ? `TOTP key ${DEMO_ADMIN_TOTP} (or ./ace demo:code admin)` : undefined,
    })
  }

  const residentCount = 20 * scale
  /* One hash for every demo resident: hashing thousands of rows with argon2 one by one takes minutes. */
  const passwordHash = await hash.make(DEMO_PASSWORD)
  const now = sqlTimestamp()
  const rows = []
  for (let i = 0; i < residentCount; i++) {
    const first = FIRST_NAMES[i % FIRST_NAMES.length]
    const surname = SURNAMES[(i * 7 + Math.floor(i / FIRST_NAMES.length)) % SURNAMES.length]
    const last = first.endsWith('a') ? feminine(surname) : surname
    const email =
      i === 0
        ? 'mieszkaniec@przykladowa.localhost'
        : `${ascii(first)}.${ascii(last)}${i}@przykladowa.localhost`
    rows.push({
      email,
      full_name: `${first} ${last}`,
      password: passwordHash,
      is_active: true,
      email_verified_at: now,
      created_at: now,
      updated_at: now,
    })
  }
  for (let start = 0; start < rows.length; start += 200) {
    await trx
      .insertQuery()
      .table(Resident.table)
      .multiInsert(rows.slice(start, start + 200))
  }
  logins.push({
    realm: 'e-BOK /konto/logowanie',
    login: 'mieszkaniec@przykladowa.localhost',
    password: DEMO_PASSWORD,
    role: 'resident',
  })

  await auditLog.record(
    {
      actor: SYSTEM_ACTOR,
      action: 'demo.seeded',
      details: { module: 'core', residents: residentCount },
    },
    trx
  )
}

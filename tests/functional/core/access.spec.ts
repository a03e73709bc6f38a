import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import router from '@adonisjs/core/services/router'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import outbox from '#core/services/outbox'
import totp from '#core/services/totp'
import type { StaffRole } from '#core/services/roles'
import { importFeesFile } from '#fees/services/fees_import'
import {
  CookieBrowser,
  PASSWORD,
  TOTP_SECRET,
  auditCount,
  makeResident,
  makeStaff,
  resetSharedState,
  withOffice,
} from '#tests/helpers'
import { addFeeType, addWasteRate, taxpayerWithDecision } from '#tests/fees_fixtures'
import { issueReminders } from '#fees/services/reminders'

const LAST_ADMIN =
  'Nie można odebrać roli administratora ani wyłączyć ostatniego aktywnego administratora.'

interface PanelRoute {
  pattern: string
  methods: string[]
}

/** Every staff-panel route the router knows, except the sign-in flow (which is for anonymous visitors). */
function panelRoutes(): PanelRoute[] {
  const all = Object.values(router.toJSON()).flat()
  return all
    .filter(
      (route) =>
        route.pattern.startsWith('/panel') &&
        !route.pattern.startsWith('/panel/logowanie') &&
        route.pattern !== '/panel/wyloguj'
    )
    .map((route) => ({
      pattern: route.pattern,
      methods: route.methods.filter((method) => method !== 'HEAD'),
    }))
}

/** Which roles may open a panel page; anything new under /panel/admin is for administrators only until said otherwise here. */
function allowedRoles(pattern: string): StaffRole[] {
  if (pattern.startsWith('/panel/admin/wiadomosci')) return ['admin', 'manager']
  if (pattern.startsWith('/panel/admin')) return ['admin']
  /* Tax secrecy: the treasurer's office and managers (finance-unit clerks are tested in the fees suite). */
  if (pattern.startsWith('/panel/podatki/konfiguracja')) return ['treasurer']
  if (pattern.startsWith('/panel/podatki')) return ['manager', 'treasurer']
  return ['admin', 'manager', 'clerk', 'treasurer', 'teacher']
}

function fill(pattern: string, ids: Record<string, number | string>) {
  return pattern.replace(/:(\w+)/g, (_, param: string) => {
    /* The longest matching prefix wins, so '/panel/podatki/decyzje' beats a shorter one. */
    const key = Object.keys(ids)
      .filter((prefix) => pattern.startsWith(prefix))
      .sort((a, b) => b.length - a.length)[0]
    if (!key || param !== 'id')
      throw new Error(`No sample value for ${pattern}: add one to the access matrix test`)
    return String(ids[key])
  })
}

/** Sample ids for the tax clerk's :id routes: a taxpayer with an object, a decision and its installments. */
async function feesSampleIds() {
  const { taxpayer, assessmentId } = await taxpayerWithDecision()
  const object = await db.from('fees_tax_objects').where('taxpayer_id', taxpayer.id).firstOrFail()
  const installment = await db
    .from('fees_installments')
    .where('assessment_id', assessmentId)
    .firstOrFail()
  return {
    '/panel/podatki/przedmioty': Number(object.id),
    '/panel/podatki/decyzje': assessmentId,
    '/panel/podatki/raty': Number(installment.id),
    '/panel/podatki/:id': taxpayer.id,
  }
}

const ROLES: StaffRole[] = ['admin', 'manager', 'clerk', 'treasurer', 'teacher']

async function staffOfEveryRole() {
  const users: Record<string, StaffUser> = {}
  users.admin = await StaffUser.findByOrFail('login', 'informatyk')
  for (const role of ROLES.filter((r) => r !== 'admin'))
    users[role] = await makeStaff(`pracownik-${role}`, [role])
  return users as Record<StaffRole, StaffUser>
}

test.group('Access / role × route matrix', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('GET on every panel page: allowed roles 200, other roles 403, anonymous and residents to the login page', async ({
    client,
    assert,
  }) => {
    const users = await staffOfEveryRole()
    const resident = await makeResident('jan.nowak@example.pl')
    const message = await outbox.enqueueEmail({
      to: 'jan.nowak@example.pl',
      subject: 'Przypomnienie o terminie płatności',
      text: 'Dzień dobry, przypominamy o racie podatku.',
      idempotencyKey: 'access-matrix-1',
    })
    const feesImport = await importFeesFile({
      kind: 'taxpayers',
      bytes: Buffer.from('external_id;kind;name\nA-1;osoba;Nowak Jan\n'),
      fileName: 'podatnicy.csv',
      skipInvalid: false,
      staffId: null,
    })
    const feesIds = await feesSampleIds()
    /* A batch of reminders for the sample decision's overdue installments. */
    await issueReminders({ asOf: '2026-06-20', minDaysOverdue: 30, staffId: null })
    const reminder = await db.from('fees_reminders').firstOrFail()
    const interestRate = await db.from('fees_interest_rates').firstOrFail()
    const ids = {
      '/panel/podatki/upomnienia/partie': String(reminder.batch),
      '/panel/podatki/upomnienia': Number(reminder.id),
      '/panel/podatki/import': feesImport.id,
      '/panel/podatki/konfiguracja/odsetki': Number(interestRate.id),
      '/panel/podatki/konfiguracja/odpady': await addWasteRate(),
      '/panel/podatki/konfiguracja/oplaty': await addFeeType(),
      '/panel/admin/pracownicy': users.clerk.id,
      '/panel/admin/wiadomosci': message.id,
      ...feesIds,
    }

    /*
     * A background task and its result belong to the staff member who started it (404 to anyone
     * else): not a per-role matrix, tested with the arrears list in tests/functional/fees/reports.spec.ts.
     */
    const ownerOnly = new Set([
      '/panel/zadania/:id',
      '/panel/zadania/:id/pobierz',
      '/panel/podatki/zaleglosci/zestawienie/:id',
      '/panel/podatki/upomnienia/podglad/:id',
    ])
    const routes = panelRoutes().filter(
      (route) => route.methods.includes('GET') && !ownerOnly.has(route.pattern)
    )
    const patterns = routes.map((route) => route.pattern)
    for (const expected of [
      '/panel',
      '/panel/haslo',
      '/panel/admin/urzad',
      '/panel/admin/pracownicy',
      '/panel/admin/pracownicy/nowy',
      '/panel/admin/pracownicy/:id',
      '/panel/admin/dziennik',
      '/panel/admin/wiadomosci',
      '/panel/admin/wiadomosci/:id',
    ]) {
      assert.include(patterns, expected)
    }

    const failures: string[] = []
    for (const route of routes) {
      const url = fill(route.pattern, ids)
      for (const role of ROLES) {
        const response = await client.get(url).signedIn('staff', users[role]).redirects(0)
        const expected = allowedRoles(route.pattern).includes(role) ? 200 : 403
        if (response.status() !== expected)
          failures.push(`${role} GET ${url}: ${response.status()}, expected ${expected}`)
        if (expected === 403 && !response.text().includes('Brak dostępu'))
          failures.push(`${role} GET ${url}: no Polish 403 page`)
        if (expected === 200 && response.header('cache-control') !== 'no-store')
          failures.push(`${role} GET ${url}: cacheable`)
      }
      const anonymous = await client.get(url).redirects(0)
      if (anonymous.status() !== 302 || anonymous.header('location') !== '/panel/logowanie')
        failures.push(`anonymous GET ${url}: ${anonymous.status()} ${anonymous.header('location')}`)
      const asResident = await client.get(url).signedIn('resident', resident).redirects(0)
      if (asResident.status() !== 302 || asResident.header('location') !== '/panel/logowanie')
        failures.push(`resident GET ${url}: ${asResident.status()}`)
    }
    assert.deepEqual(failures, [])
  }).timeout(120_000)

  test('POST on every administrator form: 403 for other roles and nothing changes', async ({
    client,
    assert,
  }) => {
    const users = await staffOfEveryRole()
    const ids = {
      '/panel/admin/pracownicy': users.clerk.id,
      /* VPN devices: refused before any lookup, so any id will do. */
      '/panel/admin/vpn': 1,
      ...(await feesSampleIds()),
    }
    const routes = panelRoutes().filter(
      (route) => route.methods.includes('POST') && route.pattern.startsWith('/panel/admin')
    )
    assert.isAtLeast(routes.length, 3)
    const form = {
      'name': 'Urząd Przejęty',
      'teryt': '0201011',
      'street': 'ul. Obca 1',
      'postalCode': '00-950',
      'city': 'Gdzieś',
      'nip': '5213017228',
      'regon': '012345675',
      'bankAccount': '61109010140000071219812874',
      'email': 'obcy@example.com',
      'phone': '+48 22 000 00 00',
      'login': 'intruz',
      'fullName': 'Intruz Intruzowski',
      'roles[]': ['admin'],
      'isActive': '1',
      'password': 'bardzo tajne hasło intruza',
    }
    const failures: string[] = []
    for (const route of routes) {
      const url = fill(route.pattern, ids)
      for (const role of ROLES.filter((r) => !allowedRoles(route.pattern).includes(r))) {
        const response = await client
          .post(url)
          .signedIn('staff', users[role])
          .form(form)
          .withCsrfToken()
          .redirects(0)
        if (response.status() !== 403) failures.push(`${role} POST ${url}: ${response.status()}`)
      }
      const anonymous = await client.post(url).form(form).withCsrfToken().redirects(0)
      if (anonymous.header('location') !== '/panel/logowanie')
        failures.push(`anonymous POST ${url}: ${anonymous.status()}`)
    }
    assert.deepEqual(failures, [])
    assert.isNull(await StaffUser.findBy('login', 'intruz'))
    await users.clerk.refresh()
    assert.deepEqual(users.clerk.roles, ['clerk'])
    const office = await db.from('office_profiles').firstOrFail()
    assert.equal(office.name, 'Urząd Gminy Testowa')
    assert.equal(await auditCount('staff.roles_changed'), 0)
    assert.equal(await auditCount('office.updated'), 0)
  }).timeout(120_000)
})

test.group('Access / staff accounts', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('names of built-in object keys as the sort parameter fall back to the default order', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    await makeStaff('adamski', ['clerk'])
    await makeStaff('zielinska', ['clerk'])
    for (const sort of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const response = await client
        .get(`/panel/admin/pracownicy?sort=${sort}&dir=desc`)
        .signedIn('staff', admin)
      response.assertStatus(200)
      const text = response.text()
      /* By login, descending: zielinska before adamski. */
      assert.isAbove(text.indexOf('adamski'), 0, sort)
      assert.isBelow(text.indexOf('zielinska'), text.indexOf('adamski'), sort)
    }
  })

  test('mass assignment: only name, e-mail, unit, roles and the active flag change', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const clerk = await makeStaff('jkowalski', ['treasurer'], { totp: true })
    const before = {
      id: clerk.id,
      password: clerk.password,
      totpSecret: clerk.totpSecret,
      createdAt: Math.floor(clerk.createdAt.toSeconds()),
    }
    const response = await client
      .post(`/panel/admin/pracownicy/${clerk.id}`)
      .signedIn('staff', admin)
      .form({
        'fullName': 'Jan Kowalski',
        'email': 'jan.kowalski@testowa.localhost',
        'unit': 'FN',
        'roles[]': ['clerk'],
        'isActive': '1',
        'login': 'hacker',
        'password': 'x',
        'totp_secret': 'AAAAAAAAAAAAAAAA',
        'totpSecret': 'AAAAAAAAAAAAAAAA',
        'totp_last_step': '0',
        'id': '999',
        'created_at': '2000-01-01',
        'lastLoginAt': '2000-01-01',
      })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/panel/admin/pracownicy')

    const after = await StaffUser.findOrFail(before.id)
    assert.equal(after.fullName, 'Jan Kowalski')
    assert.equal(after.email, 'jan.kowalski@testowa.localhost')
    assert.equal(after.unit, 'FN')
    assert.deepEqual(after.roles, ['clerk'])
    assert.isTrue(after.isActive)
    assert.equal(after.login, 'jkowalski')
    assert.equal(after.password, before.password)
    assert.isTrue(await hash.verify(after.password, PASSWORD))
    assert.equal(after.totpSecret, before.totpSecret)
    assert.equal(totp.decrypt(after.totpSecret!), TOTP_SECRET)
    assert.isNull(after.lastLoginAt)
    assert.equal(Math.floor(after.createdAt.toSeconds()), before.createdAt)
    assert.isNull(await StaffUser.find(999))
    assert.isNull(await StaffUser.findBy('login', 'hacker'))
  })

  test('roles sent as a plain field instead of the checkbox list change nothing', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const clerk = await makeStaff('jkowalski', ['clerk'])
    const response = await client
      .post(`/panel/admin/pracownicy/${clerk.id}`)
      .header('referer', `/panel/admin/pracownicy/${clerk.id}`)
      .signedIn('staff', admin)
      .form({
        fullName: 'Jan Kowalski',
        email: 'jan@testowa.localhost',
        roles: 'admin',
        role: 'admin',
        isActive: '1',
      })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', `/panel/admin/pracownicy/${clerk.id}`)
    assert.property(response.flashMessage('inputErrorsBag'), 'roles')
    await clerk.refresh()
    assert.deepEqual(clerk.roles, ['clerk'])
  })

  test('unknown roles are refused', async ({ client, assert }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const clerk = await makeStaff('jkowalski', ['clerk'])
    const response = await client
      .post(`/panel/admin/pracownicy/${clerk.id}`)
      .header('referer', `/panel/admin/pracownicy/${clerk.id}`)
      .signedIn('staff', admin)
      .form({
        'fullName': 'Jan Kowalski',
        'email': 'jan@testowa.localhost',
        'roles[]': ['superadmin'],
        'isActive': '1',
      })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    assert.include(Object.keys(response.flashMessage('inputErrorsBag')), 'roles.0')
    await clerk.refresh()
    assert.deepEqual(clerk.roles, ['clerk'])
  })

  test('a clerk posting roles[]=admin to their own account is refused with 403', async ({
    client,
    assert,
  }) => {
    const clerk = await makeStaff('jkowalski', ['clerk'])
    const response = await client
      .post(`/panel/admin/pracownicy/${clerk.id}`)
      .signedIn('staff', clerk)
      .form({
        'fullName': 'Jan Kowalski',
        'email': 'jkowalski@testowa.localhost',
        'roles[]': ['admin', 'clerk'],
        'isActive': '1',
      })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(403)
    assert.include(response.text(), 'Brak dostępu')
    await clerk.refresh()
    assert.deepEqual(clerk.roles, ['clerk'])
    assert.equal(await auditCount('staff.roles_changed'), 0)
  })

  test('the own password form ignores roles sent along', async ({ client, assert }) => {
    const clerk = await makeStaff('jkowalski', ['clerk'])
    const newPassword = 'nowe hasło urzędnika 2026'
    const response = await client
      .post('/panel/haslo')
      .signedIn('staff', clerk)
      .form({
        'current_password': PASSWORD,
        'password': newPassword,
        'password_confirmation': newPassword,
        'roles[]': ['admin'],
        'isActive': '1',
        'login': 'admin2',
      })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    await clerk.refresh()
    assert.isTrue(await hash.verify(clerk.password, newPassword))
    assert.deepEqual(clerk.roles, ['clerk'])
    assert.equal(clerk.login, 'jkowalski')
  })

  test('the last administrator cannot lose the admin role or be disabled', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const attempts = [
      {
        'fullName': 'Test informatyk',
        'email': 'informatyk@testowa.localhost',
        'roles[]': ['clerk'],
        'isActive': '1',
      },
      /* An unticked "active" box is not sent at all. */
      {
        'fullName': 'Test informatyk',
        'email': 'informatyk@testowa.localhost',
        'roles[]': ['admin'],
      },
    ]
    for (const form of attempts) {
      const response = await client
        .post(`/panel/admin/pracownicy/${admin.id}`)
        .signedIn('staff', admin)
        .form(form)
        .withCsrfToken()
        .redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', `/panel/admin/pracownicy/${admin.id}`)
      response.assertFlashMessage('notification', { type: 'error', message: LAST_ADMIN })
    }
    await admin.refresh()
    assert.deepEqual(admin.roles, ['admin'])
    assert.isTrue(admin.isActive)
    assert.equal(await auditCount('staff.roles_changed'), 0)
    assert.equal(await auditCount('staff.disabled'), 0)

    const page = await client
      .get(`/panel/admin/pracownicy/${admin.id}`)
      .signedIn('staff', admin)
      .withFlashMessages({ notification: { type: 'error', message: LAST_ADMIN } })
    assert.include(page.text(), LAST_ADMIN)
  })

  test('with a second administrator the role can be handed over', async ({ client, assert }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    await makeStaff('zastepca', ['admin'])
    const response = await client
      .post(`/panel/admin/pracownicy/${admin.id}`)
      .signedIn('staff', admin)
      .form({
        'fullName': 'Test informatyk',
        'email': 'informatyk@testowa.localhost',
        'roles[]': ['clerk'],
        'isActive': '1',
      })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/panel/admin/pracownicy')
    await admin.refresh()
    assert.deepEqual(admin.roles, ['clerk'])
  })

  test('a role change is written to the audit log with before and after', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const clerk = await makeStaff('jkowalski', ['clerk'])
    await client
      .post(`/panel/admin/pracownicy/${clerk.id}`)
      .signedIn('staff', admin)
      .form({
        'fullName': 'Test jkowalski',
        'email': 'jkowalski@testowa.localhost',
        'roles[]': ['treasurer', 'clerk'],
        'isActive': '1',
      })
      .withCsrfToken()
      .redirects(0)
    const entry = await db
      .from('audit_entries')
      .where('action', 'staff.roles_changed')
      .firstOrFail()
    assert.equal(entry.actor_label, 'informatyk')
    assert.equal(entry.subject_type, 'staff_user')
    assert.equal(entry.subject_id, String(clerk.id))
    const details = JSON.parse(entry.details)
    assert.deepEqual(details.from, ['clerk'])
    assert.sameMembers(details.to, ['clerk', 'treasurer'])

    /* Saving without a role change does not claim one (nor an enable/disable). */
    await client
      .post(`/panel/admin/pracownicy/${clerk.id}`)
      .signedIn('staff', admin)
      .form({
        'fullName': 'Jan Kowalski',
        'email': 'jkowalski@testowa.localhost',
        'roles[]': ['clerk', 'treasurer'],
        'isActive': '1',
      })
      .withCsrfToken()
      .redirects(0)
    assert.equal(await auditCount('staff.roles_changed'), 1)
    assert.equal(await auditCount('staff.enabled'), 0)
    assert.equal(await auditCount('staff.updated'), 2)
  })

  test('disabling a user ends their access on the next request', async ({ client, assert }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const clerk = await makeStaff('jkowalski', ['clerk'])
    const browser = new CookieBrowser()
    const login = await browser.submit('/panel/logowanie', '/panel/logowanie', {
      login: 'jkowalski',
      password: PASSWORD,
    })
    assert.equal(login.location, '/panel')
    assert.equal(await browser.status('/panel'), 200)

    const disable = await client
      .post(`/panel/admin/pracownicy/${clerk.id}`)
      .signedIn('staff', admin)
      .form({
        'fullName': 'Test jkowalski',
        'email': 'jkowalski@testowa.localhost',
        'roles[]': ['clerk'],
      })
      .withCsrfToken()
      .redirects(0)
    disable.assertHeader('location', '/panel/admin/pracownicy')
    assert.equal(await auditCount('staff.disabled'), 1)

    const next = await browser.get('/panel')
    assert.equal(next.status, 302)
    assert.equal(next.location, '/panel/logowanie')
    /* And signing in again does not work either. */
    const again = await browser.submit('/panel/logowanie', '/panel/logowanie', {
      login: 'jkowalski',
      password: PASSWORD,
    })
    assert.equal(again.location, '/panel/logowanie')
    assert.equal(await browser.status('/panel'), 302)
  })
})

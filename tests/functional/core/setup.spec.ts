import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import OfficeProfile from '#core/models/office_profile'
import { auditCount, resetSharedState } from '#tests/helpers'

const ADMIN_PASSWORD = 'Ratusz w Przykładowie 1918!'

/** What an office types into the first-run form. */
function setupForm(overrides: Record<string, string> = {}) {
  return {
    name: 'Urząd Gminy Przykładowa',
    teryt: '0201011',
    street: 'ul. Rynek 1',
    postalCode: '58-100',
    city: 'Świdnica',
    nip: '521-301-72-28',
    regon: '012345675',
    bankAccount: 'PL61 1090 1014 0000 0712 1981 2874',
    email: 'sekretariat@przykladowa.localhost',
    phone: '+48 74 852 00 00',
    openingHours: 'poniedziałek 8:00–16:00\nwtorek–piątek 7:30–15:30',
    adminName: 'Krzysztof Wiśniewski',
    adminLogin: 'kwisniewski',
    adminEmail: 'informatyk@przykladowa.localhost',
    password: ADMIN_PASSWORD,
    password_confirmation: ADMIN_PASSWORD,
    ...overrides,
  }
}

async function emptyDatabase() {
  await db.from('staff_users').delete()
  await db.from('office_profiles').delete()
  await resetSharedState()
}

async function countAdmins() {
  const row = await db
    .from('staff_users')
    .where('roles', 'like', '%admin%')
    .count('* as total')
    .first()
  return Number(row.total)
}

test.group('Setup wizard', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => emptyDatabase())

  test('with an empty database every staff page leads to /setup', async ({ client, assert }) => {
    for (const path of ['/panel/logowanie', '/panel', '/panel/admin/pracownicy']) {
      const response = await client.get(path).redirects(0)
      assert.equal(response.status(), 302, path)
      assert.equal(response.header('location'), '/setup', path)
    }
    const form = await client.get('/setup').redirects(0)
    form.assertStatus(200)
    assert.include(form.text(), 'Pierwsze uruchomienie Ratusza')
    assert.include(form.text(), 'enctype="multipart/form-data"')
  })

  test('completes once: office profile, first administrator and an audit entry', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(setupForm())
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/panel/logowanie')
    response.assertFlashMessage('notification', {
      type: 'success',
      message:
        'Konfiguracja zakończona. Zaloguj się jako administrator i włącz weryfikację dwuetapową.',
    })

    const profile = await OfficeProfile.query().firstOrFail()
    assert.equal(profile.name, 'Urząd Gminy Przykładowa')
    assert.equal(profile.city, 'Świdnica')
    assert.equal(profile.nip, '5213017228')
    assert.equal(profile.bankAccount, '61109010140000071219812874')
    assert.equal(profile.postalCode, '58-100')
    assert.equal(profile.openingHours, 'poniedziałek 8:00–16:00\nwtorek–piątek 7:30–15:30')

    const admins = await StaffUser.all()
    assert.lengthOf(admins, 1)
    const admin = admins[0]
    assert.equal(admin.login, 'kwisniewski')
    assert.equal(admin.fullName, 'Krzysztof Wiśniewski')
    assert.deepEqual(admin.roles, ['admin'])
    assert.isTrue(admin.isActive)
    assert.isFalse(admin.hasTotp, 'TOTP is enrolled at the first sign-in, never preset')
    assert.notEqual(admin.password, ADMIN_PASSWORD)
    assert.isTrue(await hash.verify(admin.password, ADMIN_PASSWORD))

    const entry = await db.from('audit_entries').where('action', 'setup.completed').firstOrFail()
    assert.equal(entry.actor_label, 'kwisniewski')
    assert.equal(entry.actor_realm, 'staff')
    assert.equal(entry.ip, '127.0.0.1')
    assert.deepEqual(JSON.parse(entry.details), { office: 'Urząd Gminy Przykładowa' })
    assert.notInclude(entry.details, ADMIN_PASSWORD)

    /* The panel now leads to the login page instead of the wizard. */
    const login = await client.get('/panel/logowanie').redirects(0)
    login.assertStatus(200)
  })

  test('after setup /setup is 404 for GET and POST and no second administrator appears', async ({
    client,
    assert,
  }) => {
    await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(setupForm())
      .withCsrfToken()
      .redirects(0)
    assert.equal(await countAdmins(), 1)

    const again = await client.get('/setup').redirects(0)
    again.assertStatus(404)
    assert.include(again.text(), 'Nie znaleziono strony')

    const second = await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(
        setupForm({
          name: 'Urząd Przejęty',
          adminLogin: 'intruz',
          adminEmail: 'intruz@example.com',
        })
      )
      .withCsrfToken()
      .redirects(0)
    second.assertStatus(404)
    assert.equal(await countAdmins(), 1)
    assert.isNull(await StaffUser.findBy('login', 'intruz'))
    const profile = await OfficeProfile.query().firstOrFail()
    assert.equal(profile.name, 'Urząd Gminy Przykładowa')
    assert.equal(await auditCount('setup.completed'), 1)
  })

  test('even with the cached state forgotten, an existing administrator closes the wizard', async ({
    client,
    assert,
  }) => {
    await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(setupForm())
      .withCsrfToken()
      .redirects(0)
    await resetSharedState()
    const response = await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(setupForm({ adminLogin: 'drugi' }))
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(404)
    assert.equal(await countAdmins(), 1)
  })

  test('invalid NIP, REGON, account number and postal code: Polish errors naming each field', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(
        setupForm({
          nip: '521-301-72-29',
          regon: '012345678',
          bankAccount: '61 1090 1014 0000 0712 1981 2875',
          postalCode: '581-00',
        })
      )
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/setup')
    const errors = response.flashMessage('inputErrorsBag') as Record<string, string[]>
    assert.match(
      errors.nip[0],
      /^Pole „NIP” nie zawiera poprawnego numeru NIP \(błędna cyfra kontrolna\)\.$/
    )
    assert.match(
      errors.regon[0],
      /^Pole „REGON” nie zawiera poprawnego numeru REGON \(błędna cyfra kontrolna\)\.$/
    )
    assert.match(
      errors.bankAccount[0],
      /^Pole „Numer rachunku bankowego” nie zawiera poprawnego numeru rachunku bankowego \(błędna cyfra kontrolna\)\.$/
    )
    assert.equal(
      errors.postalCode[0],
      'Pole „Kod pocztowy” nie zawiera poprawnego kodu pocztowego (oczekiwany format NN-NNN, np. 00-950).'
    )
    assert.notProperty(errors, 'name')
    /* The typed values come back (except the password) so nothing has to be retyped. */
    assert.equal(response.flashMessage('city'), 'Świdnica')
    assert.isUndefined(response.flashMessage('password'))

    assert.equal(await countAdmins(), 0)
    assert.isNull(await OfficeProfile.query().first())
    assert.equal(await auditCount('setup.completed'), 0)
  })

  test('the errors are shown on the form next to their fields', async ({ client, assert }) => {
    const page = await client.get('/setup').withFlashMessages({
      inputErrorsBag: {
        nip: ['Pole „NIP” nie zawiera poprawnego numeru NIP (błędna cyfra kontrolna).'],
      },
      nip: '521-301-72-29',
    })
    page.assertStatus(200)
    assert.include(
      page.text(),
      'Pole „NIP” nie zawiera poprawnego numeru NIP (błędna cyfra kontrolna).'
    )
    assert.include(page.text(), 'id="f-nip-error"')
    assert.include(page.text(), 'value="521-301-72-29"')
  })

  test('missing fields and a bad e-mail are refused in Polish', async ({ client, assert }) => {
    const response = await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(setupForm({ name: '', adminEmail: 'nie-adres', teryt: '02010' }))
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    const errors = response.flashMessage('inputErrorsBag') as Record<string, string[]>
    assert.equal(errors.name[0], 'Pole „Nazwa gminy” jest wymagane.')
    assert.include(errors.adminEmail[0], 'E-mail administratora')
    assert.equal(errors.teryt[0], 'Pole „Kod TERYT” ma niepoprawny format.')
    assert.equal(await countAdmins(), 0)
  })

  test('a common password is refused and nothing is created', async ({ client, assert }) => {
    const response = await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(setupForm({ password: 'qwerty123', password_confirmation: 'qwerty123' }))
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/setup')
    const errors = response.flashMessage('inputErrorsBag') as Record<string, string[]>
    assert.equal(
      errors.password[0],
      'To hasło jest zbyt popularne i znajduje się na liście haseł, które wyciekły. Wybierz inne.'
    )
    assert.isUndefined(response.flashMessage('password'))
    assert.equal(await countAdmins(), 0)
    assert.isNull(await OfficeProfile.query().first())
  })

  test('a short password, one containing the login, or a mismatched confirmation is refused', async ({
    client,
    assert,
  }) => {
    const short = await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(setupForm({ password: 'krótkie', password_confirmation: 'krótkie' }))
      .withCsrfToken()
      .redirects(0)
    assert.include(
      (short.flashMessage('inputErrorsBag') as any).password[0],
      'co najmniej 8 znaków'
    )

    const withLogin = await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(
        setupForm({ password: 'kwisniewski-1918', password_confirmation: 'kwisniewski-1918' })
      )
      .withCsrfToken()
      .redirects(0)
    assert.equal(
      (withLogin.flashMessage('inputErrorsBag') as any).password[0],
      'Hasło nie może zawierać Twojego loginu ani adresu e-mail.'
    )

    const mismatch = await client
      .post('/setup')
      .header('referer', '/setup')
      .fields(setupForm({ password_confirmation: 'inne hasło zupełnie' }))
      .withCsrfToken()
      .redirects(0)
    assert.equal(
      (mismatch.flashMessage('inputErrorsBag') as any).password_confirmation[0],
      'Hasło i jego powtórzenie muszą być takie same.'
    )
    assert.equal(await countAdmins(), 0)
  })

  test('setup from outside the office network is 404', async ({ client, assert }) => {
    const response = await client
      .post('/setup')
      .header('X-Forwarded-For', '203.0.113.7')
      .fields(setupForm())
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(404)
    assert.equal(await countAdmins(), 0)
  })
})

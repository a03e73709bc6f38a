import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import { PASSWORD, makeStaff, resetSharedState, withOffice } from '#tests/helpers'

/*
 * .env.test trusts 127.0.0.1 as the reverse proxy (TRUSTED_PROXIES), so a test
 * request carrying X-Forwarded-For looks like a visitor behind that proxy.
 */
const OUTSIDE = { 'X-Forwarded-For': '203.0.113.7' }
const OFFICE_LAN = { 'X-Forwarded-For': '127.0.0.23' }
const NOT_FOUND_TITLE = '<h1>Nie znaleziono strony</h1>'

test.group('Network zones / staff pages from outside the office', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('every staff page answers 404 with the ordinary Polish page', async ({ client, assert }) => {
    const missing = await client.get('/takiej-strony-nie-ma').headers(OUTSIDE)
    missing.assertStatus(404)
    for (const path of [
      '/panel/logowanie',
      '/panel/logowanie/kod',
      '/panel',
      '/panel/admin/pracownicy',
      '/panel/admin/dziennik',
      '/setup',
    ]) {
      const response = await client.get(path).headers(OUTSIDE).redirects(0)
      assert.equal(response.status(), 404, path)
      assert.include(response.text(), NOT_FOUND_TITLE, path)
      assert.include(response.text(), 'Sprawdź, czy adres jest wpisany poprawnie.', path)
      assert.include(response.header('content-type'), 'text/html')
      /* Nothing on the page gives the panel away. */
      assert.notInclude(response.text(), 'Zaloguj', path)
      assert.notInclude(response.text(), 'name="password"', path)
    }
  })

  test('a login attempt from outside does nothing: 404, no audit entry, no throttle count', async ({
    client,
    assert,
  }) => {
    await makeStaff('jkowalski', ['clerk'])
    const response = await client
      .post('/panel/logowanie')
      .headers(OUTSIDE)
      .form({ login: 'jkowalski', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(404)
    assert.include(response.text(), NOT_FOUND_TITLE)
    const audit = await db
      .from('audit_entries')
      .whereIn('action', ['auth.login', 'auth.login_failed'])
      .count('* as total')
      .first()
    assert.equal(Number(audit.total), 0)
    const counters = await db.from('rate_limits').count('* as total').first()
    assert.equal(Number(counters.total), 0)
  })

  test('even a signed-in administrator gets 404 once outside the office network', async ({
    client,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const inside = await client.get('/panel/admin/pracownicy').signedIn('staff', admin).redirects(0)
    inside.assertStatus(200)
    const outside = await client
      .get('/panel/admin/pracownicy')
      .headers(OUTSIDE)
      .signedIn('staff', admin)
      .redirects(0)
    outside.assertStatus(404)
  })

  test('a forged X-Forwarded-For naming the office LAN does not get through the proxy', async ({
    client,
  }) => {
    /* The visitor sends "127.0.0.1"; the proxy appends the address it really saw. */
    const forged = await client
      .get('/panel/logowanie')
      .header('X-Forwarded-For', '127.0.0.1, 203.0.113.7')
      .redirects(0)
    forged.assertStatus(404)
    const ipv6 = await client
      .get('/panel/logowanie')
      .header('X-Forwarded-For', '::1, 2001:db8::7')
      .redirects(0)
    ipv6.assertStatus(404)
  })

  test('the setup wizard is not reachable from outside either, even before setup', async ({
    client,
  }) => {
    await db.from('staff_users').delete()
    await db.from('office_profiles').delete()
    await resetSharedState()
    const outside = await client.get('/setup').headers(OUTSIDE).redirects(0)
    outside.assertStatus(404)
    const inside = await client.get('/setup').redirects(0)
    inside.assertStatus(200)
  })
})

test.group('Network zones / staff pages from the office LAN', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('the login page opens and the panel redirects to it', async ({ client, assert }) => {
    for (const headers of [{}, OFFICE_LAN, { 'X-Forwarded-For': '::1' }]) {
      const login = await client.get('/panel/logowanie').headers(headers).redirects(0)
      login.assertStatus(200)
      assert.include(login.text(), 'name="password"')
      const panel = await client.get('/panel').headers(headers).redirects(0)
      panel.assertStatus(302)
      panel.assertHeader('location', '/panel/logowanie')
    }
  })

  test('a clerk on the LAN signs in and the audit entry records the visitor address, not the proxy', async ({
    client,
    assert,
  }) => {
    await makeStaff('jkowalski', ['clerk'])
    const response = await client
      .post('/panel/logowanie')
      .headers(OFFICE_LAN)
      .form({ login: 'jkowalski', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/panel')
    const entry = await db.from('audit_entries').where('action', 'auth.login').first()
    assert.equal(entry.ip, '127.0.0.23')
  })

  test('once an administrator exists /setup is 404 on the LAN too', async ({ client }) => {
    const response = await client.get('/setup').redirects(0)
    response.assertStatus(404)
  })
})

test.group('Network zones / public pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('answer from anywhere', async ({ client, assert }) => {
    for (const headers of [OUTSIDE, { 'X-Forwarded-For': '2001:db8::7' }, {}]) {
      for (const path of [
        '/',
        '/kontakt',
        '/deklaracja-dostepnosci',
        '/ochrona-danych',
        '/konto/logowanie',
        '/konto/rejestracja',
        '/konto/przypomnij-haslo',
      ]) {
        const response = await client.get(path).headers(headers).redirects(0)
        assert.equal(response.status(), 200, `${path} ${JSON.stringify(headers)}`)
      }
      const health = await client.get('/up').headers(headers)
      health.assertStatus(200)
      health.assertBody({ status: 'ok' })
      const language = await client.get('/jezyk/en').headers(headers).redirects(0)
      language.assertStatus(302)
    }
  })

  test('the resident login works from outside the office', async ({ client }) => {
    const { makeResident } = await import('#tests/helpers')
    await makeResident('anna.nowak@example.pl')
    const response = await client
      .post('/konto/logowanie')
      .headers(OUTSIDE)
      .form({ email: 'anna.nowak@example.pl', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/konto')
  })
})

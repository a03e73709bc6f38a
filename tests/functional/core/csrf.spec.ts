import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Tokens from 'csrf'
import StaffUser from '#core/models/staff_user'
import Resident from '#core/models/resident'
import {
  CookieBrowser,
  PASSWORD,
  auditCount,
  makeResident,
  makeStaff,
  resetSharedState,
  withOffice,
} from '#tests/helpers'

const tokens = new Tokens()

/** A token that is well formed but belongs to another session's secret. */
async function tokenOfAnotherSession() {
  return tokens.create(await tokens.secret())
}

async function rateLimitRows() {
  const row = await db.from('rate_limits').count('* as total').first()
  return Number(row.total)
}

test.group('CSRF / sign-in forms', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('staff login without a token: 302 back, nobody signed in, nothing logged', async ({
    client,
    assert,
  }) => {
    await makeStaff('jkowalski', ['clerk'])
    const response = await client
      .post('/panel/logowanie')
      .header('referer', '/panel/logowanie')
      .form({ login: 'jkowalski', password: PASSWORD })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/panel/logowanie')
    response.assertSessionMissing('auth_staff')
    assert.equal(response.flashMessage('notification').type, 'error')
    assert.include(response.flashMessage('notification').message, 'Formularz wygasł')
    /* The password never comes back in the flashed input. */
    assert.notProperty(response.flashMessages(), 'password')
    assert.equal(await auditCount('auth.login'), 0)
    assert.equal(await auditCount('auth.login_failed'), 0)
    assert.equal(await rateLimitRows(), 0)
  })

  test('staff login with a forged or foreign token is refused the same way', async ({
    client,
    assert,
  }) => {
    await makeStaff('jkowalski', ['clerk'])
    const secret = await tokens.secret()
    const attempts = [
      client
        .post('/panel/logowanie')
        .withSession({ 'csrf-secret': secret })
        .form({ login: 'jkowalski', password: PASSWORD, _csrf: 'nie-ten-token' }),
      client
        .post('/panel/logowanie')
        .withSession({ 'csrf-secret': secret })
        .form({ login: 'jkowalski', password: PASSWORD, _csrf: await tokenOfAnotherSession() }),
      client
        .post('/panel/logowanie')
        .withSession({ 'csrf-secret': secret })
        .header('x-csrf-token', await tokenOfAnotherSession())
        .form({ login: 'jkowalski', password: PASSWORD }),
      /* A token with no secret in the session at all. */
      client
        .post('/panel/logowanie')
        .form({ login: 'jkowalski', password: PASSWORD, _csrf: await tokenOfAnotherSession() }),
    ]
    for (const attempt of attempts) {
      const response = await attempt.header('referer', '/panel/logowanie').redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/panel/logowanie')
      response.assertSessionMissing('auth_staff')
    }
    assert.equal(await auditCount('auth.login'), 0)
    assert.equal(await auditCount('auth.login_failed'), 0)
    const user = await StaffUser.findByOrFail('login', 'jkowalski')
    assert.isNull(user.lastLoginAt)
  })

  test('a token made for the right secret is accepted (the control case)', async ({
    client,
    assert,
  }) => {
    await makeStaff('jkowalski', ['clerk'])
    const secret = await tokens.secret()
    const response = await client
      .post('/panel/logowanie')
      .withSession({ 'csrf-secret': secret })
      .form({ login: 'jkowalski', password: PASSWORD, _csrf: tokens.create(secret) })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/panel')
    assert.equal(await auditCount('auth.login', 'jkowalski'), 1)
  })

  test('resident login without a token or with a bad one: 302 back, nobody signed in, nothing logged', async ({
    client,
    assert,
  }) => {
    await makeResident('anna.nowak@example.pl')
    const missing = await client
      .post('/konto/logowanie')
      .header('referer', '/konto/logowanie')
      .form({ email: 'anna.nowak@example.pl', password: PASSWORD })
      .redirects(0)
    missing.assertStatus(302)
    missing.assertHeader('location', '/konto/logowanie')
    missing.assertSessionMissing('auth_resident')

    const bad = await client
      .post('/konto/logowanie')
      .header('referer', '/konto/logowanie')
      .withSession({ 'csrf-secret': await tokens.secret() })
      .form({
        email: 'anna.nowak@example.pl',
        password: PASSWORD,
        _csrf: await tokenOfAnotherSession(),
      })
      .redirects(0)
    bad.assertStatus(302)
    bad.assertHeader('location', '/konto/logowanie')
    bad.assertSessionMissing('auth_resident')

    assert.equal(await auditCount('auth.login'), 0)
    assert.equal(await auditCount('auth.login_failed'), 0)
    const resident = await Resident.findByOrFail('email', 'anna.nowak@example.pl')
    assert.isNull(resident.lastLoginAt)
  })

  test('a real browser session: the token from the form works, the same form without it does not', async ({
    assert,
  }) => {
    await makeResident('anna.nowak@example.pl')
    const browser = new CookieBrowser()
    const page = await browser.get('/konto/logowanie')
    assert.equal(page.status, 200)
    const noToken = await browser.request('POST', '/konto/logowanie', {
      email: 'anna.nowak@example.pl',
      password: PASSWORD,
    })
    assert.equal(noToken.status, 302)
    assert.equal(await browser.status('/konto'), 302)

    const signedIn = await browser.submit('/konto/logowanie', '/konto/logowanie', {
      email: 'anna.nowak@example.pl',
      password: PASSWORD,
    })
    assert.equal(signedIn.status, 302)
    assert.equal(signedIn.location, '/konto')
    assert.equal(await browser.status('/konto'), 200)
    assert.equal(await auditCount('auth.login', 'anna.nowak@example.pl'), 1)
  })
})

test.group('CSRF / other state changes', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('registration without a token creates no account and sends no e-mail', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/konto/rejestracja')
      .form({
        fullName: 'Anna Nowak',
        email: 'anna.nowak@example.pl',
        password: 'zielona łąka nad Wisłą',
        password_confirmation: 'zielona łąka nad Wisłą',
        consent: 'on',
      })
      .redirects(0)
    response.assertStatus(302)
    assert.isNull(await Resident.findBy('email', 'anna.nowak@example.pl'))
    const outbox = await db.from('outbox_messages').count('* as total').first()
    assert.equal(Number(outbox.total), 0)
  })

  test('an administrator form posted without a token changes nothing', async ({
    client,
    assert,
  }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const clerk = await makeStaff('jkowalski', ['clerk'])
    const response = await client
      .post(`/panel/admin/pracownicy/${clerk.id}`)
      .signedIn('staff', admin)
      .form({
        fullName: 'Jan Kowalski',
        email: 'jan@testowa.localhost',
        roles: ['admin'],
        isActive: '1',
      })
      .redirects(0)
    response.assertStatus(302)
    await clerk.refresh()
    assert.deepEqual(clerk.roles, ['clerk'])
    assert.equal(await auditCount('staff.roles_changed'), 0)
  })

  test('logout without a token keeps the session', async ({ client, assert }) => {
    await makeResident('anna.nowak@example.pl')
    const browser = new CookieBrowser()
    await browser.submit('/konto/logowanie', '/konto/logowanie', {
      email: 'anna.nowak@example.pl',
      password: PASSWORD,
    })
    assert.equal(await browser.status('/konto'), 200)
    const forged = await browser.request('POST', '/konto/wyloguj', {})
    assert.equal(forged.status, 302)
    assert.equal(await browser.status('/konto'), 200)
    assert.equal(await auditCount('auth.logout'), 0)

    const staff = await StaffUser.findByOrFail('login', 'informatyk')
    const staffLogout = await client.post('/panel/wyloguj').signedIn('staff', staff).redirects(0)
    staffLogout.assertStatus(302)
    staffLogout.assertSession('auth_staff', staff.id)
  })
})

test.group('CSRF / GET never changes state', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('GET on a POST-only URL is 404 and does nothing', async ({ client, assert }) => {
    const staff = await StaffUser.findByOrFail('login', 'informatyk')
    const clerk = await makeStaff('jkowalski', ['clerk'])
    const before = await db.from('audit_entries').count('* as total').first()

    const staffLogout = await client.get('/panel/wyloguj').signedIn('staff', staff).redirects(0)
    staffLogout.assertStatus(404)

    for (const path of [
      '/konto/wyloguj',
      '/panel/admin/pracownicy?login=hacker&roles=admin',
      '/panel/admin/pracownicy/999999/usun',
    ]) {
      const response = await client.get(path).signedIn('staff', staff).redirects(0)
      assert.oneOf(response.status(), [200, 404], path)
    }
    /* Method spoofing only applies to POST: ?_method=POST on a GET is ignored. */
    const spoofed = await client
      .get('/panel/wyloguj?_method=POST')
      .signedIn('staff', staff)
      .redirects(0)
    spoofed.assertStatus(404)

    const edit = await client
      .get(`/panel/admin/pracownicy/${clerk.id}?roles=admin&isActive=0`)
      .signedIn('staff', staff)
      .redirects(0)
    edit.assertStatus(200)
    await clerk.refresh()
    assert.deepEqual(clerk.roles, ['clerk'])
    assert.isTrue(clerk.isActive)

    const after = await db.from('audit_entries').count('* as total').first()
    assert.equal(Number(after.total), Number(before.total))
    assert.isNull(await StaffUser.findBy('login', 'hacker'))
  })

  test('a real browser stays signed in after GET /panel/wyloguj', async ({ assert }) => {
    await makeStaff('jkowalski', ['clerk'])
    const browser = new CookieBrowser()
    const login = await browser.submit('/panel/logowanie', '/panel/logowanie', {
      login: 'jkowalski',
      password: PASSWORD,
    })
    assert.equal(login.location, '/panel')
    assert.equal(await browser.status('/panel'), 200)
    assert.equal(await browser.status('/panel/wyloguj'), 404)
    assert.equal(await browser.status('/panel'), 200)
    assert.equal(await auditCount('auth.logout'), 0)
  })

  test('a real browser stays signed in after GET /konto/wyloguj', async ({ assert }) => {
    await makeResident('anna.nowak@example.pl')
    const browser = new CookieBrowser()
    await browser.submit('/konto/logowanie', '/konto/logowanie', {
      email: 'anna.nowak@example.pl',
      password: PASSWORD,
    })
    const get = await browser.get('/konto/wyloguj')
    assert.equal(get.status, 404)
    assert.include(get.text, 'Nie znaleziono strony')
    assert.equal(await browser.status('/konto'), 200)
  })
})

test.group('CSRF / message', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a form sent without its token comes back with a Polish explanation', async ({ client }) => {
    const response = await client
      .post('/panel/logowanie')
      .header('referer', '/panel/logowanie')
      .form({ login: 'ktos', password: 'cokolwiek' })
      .redirects(0)
    response.assertStatus(302)
    response.assertFlashMessage('notification', {
      type: 'error',
      message:
        'Formularz wygasł albo został wysłany z innej strony. Nic nie zostało zapisane — wypełnij go i wyślij ponownie.',
    })
  })
})

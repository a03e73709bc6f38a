import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import Resident from '#core/models/resident'
import {
  CookieBrowser,
  PASSWORD,
  auditCount,
  makeResident,
  resetSharedState,
  withOffice,
} from '#tests/helpers'

const NEW_PASSWORD = 'słoneczny poranek w Bieszczadach'
const INVALID_LINK = 'To łącze jest nieprawidłowe, zostało już użyte albo wygasło.'

function registration(overrides: Record<string, string> = {}) {
  return {
    fullName: 'Małgorzata Wójcik',
    email: 'malgorzata.wojcik@example.pl',
    password: NEW_PASSWORD,
    password_confirmation: NEW_PASSWORD,
    consent: 'on',
    ...overrides,
  }
}

async function messagesTo(email: string) {
  return db.from('outbox_messages').where('recipient', email).orderBy('id', 'asc')
}

/** The token from the newest password-reset e-mail to an address. */
async function resetTokenFor(email: string) {
  const messages = await messagesTo(email)
  return linkToken(messages[messages.length - 1].body_text, 'nowe-haslo')
}

function linkToken(body: string, path: 'weryfikacja' | 'nowe-haslo') {
  const match = new RegExp(`/konto/${path}/([A-Za-z0-9_-]+)`).exec(body)
  if (!match) throw new Error(`No /konto/${path}/ link in:\n${body}`)
  return match[1]
}

test.group('Residents / registration and e-mail verification', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('registration creates an unverified account and an outbox e-mail with the link', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/konto/rejestracja')
      .form(registration({ email: ' Malgorzata.Wojcik@Example.PL ' }))
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(200)
    assert.include(response.text(), 'Sprawdź skrzynkę e-mail')
    assert.include(response.text(), 'Malgorzata.Wojcik@Example.PL')

    const resident = await Resident.findByOrFail('email', 'malgorzata.wojcik@example.pl')
    assert.equal(resident.fullName, 'Małgorzata Wójcik')
    assert.isNull(resident.emailVerifiedAt)
    assert.isTrue(await hash.verify(resident.password, NEW_PASSWORD))

    const [mail] = await messagesTo('malgorzata.wojcik@example.pl')
    assert.equal(mail.subject, 'Urząd Gminy Testowa: potwierdź adres e-mail')
    assert.equal(mail.status, 'captured', 'test mode captures instead of sending')
    assert.include(mail.body_text, 'aby aktywować konto w e-BOK')
    const token = linkToken(mail.body_text, 'weryfikacja')
    assert.isAtLeast(token.length, 40)

    /* Only a hash of the token is stored. */
    const stored = await db.from('account_tokens').where('account_id', resident.id).firstOrFail()
    assert.notEqual(stored.token_hash, token)
    assert.notInclude(JSON.stringify(stored), token)
    assert.equal(await auditCount('resident.registered', 'malgorzata.wojcik@example.pl'), 1)
  })

  test('opening the link (GET) shows a button and verifies nothing; POST verifies once', async ({
    client,
    assert,
  }) => {
    await client.post('/konto/rejestracja').form(registration()).withCsrfToken().redirects(0)
    const [mail] = await messagesTo('malgorzata.wojcik@example.pl')
    const token = linkToken(mail.body_text, 'weryfikacja')

    for (let i = 0; i < 2; i++) {
      const page = await client.get(`/konto/weryfikacja/${token}`)
      page.assertStatus(200)
      assert.include(page.text(), 'Potwierdź adres e-mail</button>')
      assert.include(page.text(), `action="/konto/weryfikacja/${token}"`)
    }
    const stillUnverified = await Resident.findByOrFail('email', 'malgorzata.wojcik@example.pl')
    assert.isNull(stillUnverified.emailVerifiedAt)
    assert.equal(await auditCount('resident.email_verified'), 0)

    const verified = await client.post(`/konto/weryfikacja/${token}`).withCsrfToken().redirects(0)
    verified.assertStatus(302)
    verified.assertHeader('location', '/konto/logowanie')
    verified.assertFlashMessage('notification', {
      type: 'success',
      message: 'Adres e-mail został potwierdzony. Możesz się zalogować.',
    })
    await stillUnverified.refresh()
    assert.isNotNull(stillUnverified.emailVerifiedAt)
    assert.equal(await auditCount('resident.email_verified'), 1)

    /* The link works once. */
    const again = await client.post(`/konto/weryfikacja/${token}`).withCsrfToken().redirects(0)
    again.assertStatus(200)
    assert.include(again.text(), 'To łącze jest nieprawidłowe, zostało już użyte albo wygasło.')
    const page = await client.get(`/konto/weryfikacja/${token}`)
    assert.notInclude(page.text(), '</button>')
    assert.equal(await auditCount('resident.email_verified'), 1)
  })

  test('a made-up verification token is refused', async ({ client, assert }) => {
    const response = await client
      .post('/konto/weryfikacja/zmyslony-token-1234567890')
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(200)
    assert.include(response.text(), 'To łącze jest nieprawidłowe')
  })

  test('signing in before verification is refused in Polish and a new link is sent', async ({
    client,
    assert,
  }) => {
    await makeResident('jan.nowak@example.pl', false)
    const response = await client
      .post('/konto/logowanie')
      .form({ email: 'jan.nowak@example.pl', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/konto/logowanie')
    response.assertFlashMessage('notification', {
      type: 'warning',
      message: 'Najpierw potwierdź adres e-mail. Wysłaliśmy nowe łącze aktywacyjne.',
    })
    response.assertSessionMissing('auth_resident')
    assert.equal(await auditCount('auth.login'), 0)
    const mails = await messagesTo('jan.nowak@example.pl')
    assert.lengthOf(mails, 1)
    assert.include(mails[0].body_text, '/konto/weryfikacja/')

    const dashboard = await client.get('/konto').redirects(0)
    dashboard.assertHeader('location', '/konto/logowanie')
  })

  test('registering an address that has an account gives the same page and creates nothing', async ({
    client,
    assert,
  }) => {
    await makeResident('jan.nowak@example.pl')
    const fresh = await client
      .post('/konto/rejestracja')
      .form(registration({ email: 'ktos.nowy@example.pl' }))
      .withCsrfToken()
      .redirects(0)
    const taken = await client
      .post('/konto/rejestracja')
      .form(registration({ email: 'jan.nowak@example.pl' }))
      .withCsrfToken()
      .redirects(0)
    taken.assertStatus(200)
    assert.equal(
      taken.text().replaceAll('jan.nowak@example.pl', 'X'),
      fresh.text().replaceAll('ktos.nowy@example.pl', 'X')
    )
    const accounts = await db
      .from('residents')
      .where('email', 'jan.nowak@example.pl')
      .count('* as total')
      .first()
    assert.equal(Number(accounts.total), 1)
    const [notice] = await messagesTo('jan.nowak@example.pl')
    assert.include(notice.subject, 'próba ponownej rejestracji')
    const resident = await Resident.findByOrFail('email', 'jan.nowak@example.pl')
    assert.isTrue(await hash.verify(resident.password, PASSWORD), 'the existing password stays')
  })

  test('weak, common or mismatched passwords are refused at registration', async ({
    client,
    assert,
  }) => {
    const common = await client
      .post('/konto/rejestracja')
      .header('referer', '/konto/rejestracja')
      .form(registration({ password: 'haslo123', password_confirmation: 'haslo123' }))
      .withCsrfToken()
      .redirects(0)
    common.assertStatus(302)
    common.assertHeader('location', '/konto/rejestracja')
    assert.equal(
      (common.flashMessage('inputErrorsBag') as any).password[0],
      'To hasło jest zbyt popularne i znajduje się na liście haseł, które wyciekły. Wybierz inne.'
    )
    assert.isUndefined(common.flashMessage('password'))

    const short = await client
      .post('/konto/rejestracja')
      .header('referer', '/konto/rejestracja')
      .form(registration({ password: 'Kot123!', password_confirmation: 'Kot123!' }))
      .withCsrfToken()
      .redirects(0)
    assert.equal(
      (short.flashMessage('inputErrorsBag') as any).password[0],
      'Pole „Hasło” musi mieć co najmniej 8 znaków.'
    )

    const personal = await client
      .post('/konto/rejestracja')
      .header('referer', '/konto/rejestracja')
      .form(
        registration({
          password: 'malgorzata.wojcik-1980',
          password_confirmation: 'malgorzata.wojcik-1980',
        })
      )
      .withCsrfToken()
      .redirects(0)
    assert.equal(
      (personal.flashMessage('inputErrorsBag') as any).password[0],
      'Hasło nie może zawierać Twojego loginu ani adresu e-mail.'
    )

    /* An unticked checkbox is simply not sent. */
    const withoutConsent: Record<string, string> = registration()
    delete withoutConsent.consent
    const noConsent = await client
      .post('/konto/rejestracja')
      .header('referer', '/konto/rejestracja')
      .form(withoutConsent)
      .withCsrfToken()
      .redirects(0)
    assert.equal(
      (noConsent.flashMessage('inputErrorsBag') as any).consent[0],
      'Pole „Zgoda” jest wymagane.'
    )
    const refused = await client
      .post('/konto/rejestracja')
      .header('referer', '/konto/rejestracja')
      .form(registration({ consent: 'nie' }))
      .withCsrfToken()
      .redirects(0)
    assert.equal(
      (refused.flashMessage('inputErrorsBag') as any).consent[0],
      'Zaznacz pole „Zgoda”.'
    )

    assert.isNull(await Resident.findBy('email', 'malgorzata.wojcik@example.pl'))
    assert.lengthOf(await messagesTo('malgorzata.wojcik@example.pl'), 0)
  })
})

test.group('Residents / password reset', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('the same answer for a known and an unknown address; only the known one gets an e-mail', async ({
    client,
    assert,
  }) => {
    await makeResident('jan.nowak@example.pl')
    const known = await client
      .post('/konto/przypomnij-haslo')
      .form({ email: 'jan.nowak@example.pl' })
      .withCsrfToken()
      .redirects(0)
    const unknown = await client
      .post('/konto/przypomnij-haslo')
      .form({ email: 'nikt.taki@example.pl' })
      .withCsrfToken()
      .redirects(0)
    known.assertStatus(200)
    unknown.assertStatus(200)
    assert.include(
      known.text(),
      'Jeśli adres <strong>jan.nowak@example.pl</strong> ma konto w e-BOK'
    )
    assert.equal(
      known.text().replaceAll('jan.nowak@example.pl', 'X'),
      unknown.text().replaceAll('nikt.taki@example.pl', 'X')
    )

    const [mail] = await messagesTo('jan.nowak@example.pl')
    assert.equal(mail.subject, 'Urząd Gminy Testowa: ustaw nowe hasło')
    assert.include(mail.body_text, 'ważne 60 minut, działa raz')
    assert.lengthOf(await messagesTo('nikt.taki@example.pl'), 0)
  })

  test('a reset token works once', async ({ client, assert }) => {
    const resident = await makeResident('jan.nowak@example.pl')
    await client
      .post('/konto/przypomnij-haslo')
      .form({ email: 'jan.nowak@example.pl' })
      .withCsrfToken()
    const token = await resetTokenFor('jan.nowak@example.pl')

    const form = await client.get(`/konto/nowe-haslo/${token}`)
    form.assertStatus(200)
    assert.include(form.text(), 'name="password"')

    const done = await client
      .post(`/konto/nowe-haslo/${token}`)
      .form({ password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    done.assertStatus(302)
    done.assertHeader('location', '/konto/logowanie')
    await resident.refresh()
    assert.isTrue(await hash.verify(resident.password, NEW_PASSWORD))
    assert.isFalse(await hash.verify(resident.password, PASSWORD))

    const replay = await client
      .post(`/konto/nowe-haslo/${token}`)
      .form({ password: 'hasło napastnika 2026', password_confirmation: 'hasło napastnika 2026' })
      .withCsrfToken()
      .redirects(0)
    replay.assertStatus(200)
    assert.include(replay.text(), INVALID_LINK)
    await resident.refresh()
    assert.isTrue(await hash.verify(resident.password, NEW_PASSWORD))

    const page = await client.get(`/konto/nowe-haslo/${token}`)
    assert.include(page.text(), INVALID_LINK)
    assert.notInclude(page.text(), 'name="password"')
  })

  test('an expired reset token is refused', async ({ client, assert }) => {
    const resident = await makeResident('jan.nowak@example.pl')
    await client
      .post('/konto/przypomnij-haslo')
      .form({ email: 'jan.nowak@example.pl' })
      .withCsrfToken()
    const token = await resetTokenFor('jan.nowak@example.pl')
    await db
      .from('account_tokens')
      .where('account_id', resident.id)
      .where('purpose', 'password_reset')
      .update({ expires_at: new Date(Date.now() - 60_000) })

    const page = await client.get(`/konto/nowe-haslo/${token}`)
    assert.include(page.text(), INVALID_LINK)
    const attempt = await client
      .post(`/konto/nowe-haslo/${token}`)
      .form({ password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    attempt.assertStatus(200)
    assert.include(attempt.text(), INVALID_LINK)
    await resident.refresh()
    assert.isTrue(await hash.verify(resident.password, PASSWORD))
    assert.equal(await auditCount('resident.password_reset'), 0)
  })

  test('a newer reset link replaces the older one', async ({ client, assert }) => {
    const resident = await makeResident('jan.nowak@example.pl')
    await client
      .post('/konto/przypomnij-haslo')
      .form({ email: 'jan.nowak@example.pl' })
      .withCsrfToken()
    await client
      .post('/konto/przypomnij-haslo')
      .form({ email: 'jan.nowak@example.pl' })
      .withCsrfToken()
    const [first, second] = await messagesTo('jan.nowak@example.pl')
    const old = await client
      .post(`/konto/nowe-haslo/${linkToken(first.body_text, 'nowe-haslo')}`)
      .form({ password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    assert.include(old.text(), INVALID_LINK)
    const fresh = await client
      .post(`/konto/nowe-haslo/${linkToken(second.body_text, 'nowe-haslo')}`)
      .form({ password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    fresh.assertStatus(302)
    await resident.refresh()
    assert.isTrue(await hash.verify(resident.password, NEW_PASSWORD))
  })

  test('a weak or common new password is refused and the link stays usable', async ({
    client,
    assert,
  }) => {
    const resident = await makeResident('jan.nowak@example.pl')
    await client
      .post('/konto/przypomnij-haslo')
      .form({ email: 'jan.nowak@example.pl' })
      .withCsrfToken()
    const token = await resetTokenFor('jan.nowak@example.pl')

    const common = await client
      .post(`/konto/nowe-haslo/${token}`)
      .form({ password: 'qwerty123', password_confirmation: 'qwerty123' })
      .withCsrfToken()
      .redirects(0)
    common.assertStatus(302)
    common.assertHeader('location', `/konto/nowe-haslo/${token}`)
    assert.equal(
      (common.flashMessage('inputErrorsBag') as any).password[0],
      'To hasło jest zbyt popularne i znajduje się na liście haseł, które wyciekły. Wybierz inne.'
    )

    const short = await client
      .post(`/konto/nowe-haslo/${token}`)
      .header('referer', `/konto/nowe-haslo/${token}`)
      .form({ password: 'krótkie', password_confirmation: 'krótkie' })
      .withCsrfToken()
      .redirects(0)
    short.assertStatus(302)
    assert.include(
      (short.flashMessage('inputErrorsBag') as any).password[0],
      'co najmniej 8 znaków'
    )

    await resident.refresh()
    assert.isTrue(await hash.verify(resident.password, PASSWORD))
    const page = await client.get(`/konto/nowe-haslo/${token}`)
    assert.include(page.text(), 'name="password"')
  })
})

test.group('Residents / sign-in and sessions', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a wrong password is refused with a Polish message that does not say which part was wrong', async ({
    client,
    assert,
  }) => {
    await makeResident('jan.nowak@example.pl')
    const wrongPassword = await client
      .post('/konto/logowanie')
      .form({ email: 'jan.nowak@example.pl', password: 'nie to hasło' })
      .withCsrfToken()
      .redirects(0)
    const unknownEmail = await client
      .post('/konto/logowanie')
      .form({ email: 'nikt.taki@example.pl', password: 'nie to hasło' })
      .withCsrfToken()
      .redirects(0)
    for (const response of [wrongPassword, unknownEmail]) {
      response.assertStatus(302)
      response.assertHeader('location', '/konto/logowanie')
      response.assertFlashMessage('formError', 'Nieprawidłowy adres e-mail lub hasło.')
      response.assertSessionMissing('auth_resident')
    }
    assert.equal(await auditCount('auth.login_failed'), 2)
  })

  test('five wrong passwords lock the account with 429 and a Polish message', async ({
    client,
    assert,
  }) => {
    await makeResident('jan.nowak@example.pl')
    const attempts = []
    for (let i = 1; i <= 5; i++) {
      attempts.push(
        await client
          .post('/konto/logowanie')
          .form({ email: 'jan.nowak@example.pl', password: `złe hasło ${i}` })
          .withCsrfToken()
          .redirects(0)
      )
    }
    assert.deepEqual(
      attempts.map((r) => r.status()),
      [302, 302, 302, 302, 429]
    )
    assert.include(attempts[4].text(), 'Zbyt wiele nieudanych prób logowania')

    const locked = await client
      .post('/konto/logowanie')
      .form({ email: 'JAN.NOWAK@example.pl', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    locked.assertStatus(429)
    assert.include(locked.text(), 'logowanie jest wstrzymane na 15 min')
    assert.isAbove(Number(locked.header('retry-after')), 0)
    locked.assertSessionMissing('auth_resident')
    assert.equal(await auditCount('auth.login'), 0)
    assert.isAtLeast(await auditCount('auth.login_throttled'), 1)
  })

  test('sign-in rotates the session id; logout kills the old session cookie', async ({
    assert,
  }) => {
    await makeResident('jan.nowak@example.pl')
    const browser = new CookieBrowser()
    await browser.get('/konto/logowanie')
    const anonymousCookies = new Map(browser.cookies)
    assert.isAbove(anonymousCookies.size, 0)

    const login = await browser.submit('/konto/logowanie', '/konto/logowanie', {
      email: 'jan.nowak@example.pl',
      password: PASSWORD,
    })
    assert.equal(login.status, 302)
    assert.equal(login.location, '/konto')
    const sessionCookie = [...browser.cookies.keys()].find(
      (name) => name.includes('session') || name.includes('ratusz')
    )!
    assert.notEqual(
      browser.cookies.get(sessionCookie),
      anonymousCookies.get(sessionCookie),
      'session id rotated at login'
    )

    const dashboard = await browser.get('/konto')
    assert.equal(dashboard.status, 200)
    assert.equal(dashboard.headers.get('cache-control'), 'no-store')
    const signedInCookies = new Map(browser.cookies)

    const logout = await browser.submit('/konto', '/konto/wyloguj', {})
    assert.equal(logout.status, 302)
    assert.equal(logout.location, '/konto/logowanie')
    assert.equal(await browser.status('/konto'), 302)

    /* Someone who kept the old cookie (another tab, a copied cookie) is out too. */
    const stolen = new CookieBrowser()
    for (const [name, value] of signedInCookies) stolen.cookies.set(name, value)
    const replay = await stolen.get('/konto')
    assert.equal(replay.status, 302)
    assert.equal(replay.location, '/konto/logowanie')
    assert.equal(await auditCount('auth.logout', 'jan.nowak@example.pl'), 1)
  })

  test('a disabled resident loses access on the next request', async ({ client, assert }) => {
    const resident = await makeResident('jan.nowak@example.pl')
    const before = await client.get('/konto').signedIn('resident', resident).redirects(0)
    before.assertStatus(200)
    resident.isActive = false
    await resident.save()
    const after = await client.get('/konto').signedIn('resident', resident).redirects(0)
    after.assertStatus(302)
    after.assertHeader('location', '/konto/logowanie')
    const login = await client
      .post('/konto/logowanie')
      .form({ email: 'jan.nowak@example.pl', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    login.assertSessionMissing('auth_resident')
    assert.equal(await auditCount('auth.login'), 0)
  })

  test('a resident session never opens the staff panel', async ({ client }) => {
    const resident = await makeResident('jan.nowak@example.pl')
    for (const path of ['/panel', '/panel/admin/pracownicy', '/panel/haslo']) {
      const response = await client.get(path).signedIn('resident', resident).redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/panel/logowanie')
    }
  })
})

import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { PASSWORD, currentCode, makeStaff, resetSharedState, withOffice } from '#tests/helpers'

test.group('Staff login', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })

  test('a clerk signs in with login and password and reaches the dashboard', async ({
    client,
    assert,
  }) => {
    await makeStaff('jkowalski', ['clerk'])
    const response = await client
      .post('/panel/logowanie')
      .form({ login: 'jkowalski', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/panel')
    const audit = await db.from('audit_entries').where('action', 'auth.login').first()
    assert.equal(audit.actor_label, 'jkowalski')
  })

  test('a wrong password is refused with a Polish message and logged', async ({
    client,
    assert,
  }) => {
    await makeStaff('jkowalski', ['clerk'])
    const response = await client
      .post('/panel/logowanie')
      .form({ login: 'jkowalski', password: 'nie to hasło' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/panel/logowanie')
    response.assertFlashMessage('formError', 'Nieprawidłowy login lub hasło.')
    const failed = await db.from('audit_entries').where('action', 'auth.login_failed').first()
    assert.equal(failed.actor_label, 'jkowalski')
    assert.notInclude(failed.details, 'nie to hasło')
  })

  test('five wrong passwords lock the account with 429 and a Polish message', async ({
    client,
    assert,
  }) => {
    await makeStaff('jkowalski', ['clerk'])
    for (let i = 0; i < 4; i++) {
      await client
        .post('/panel/logowanie')
        .form({ login: 'jkowalski', password: `złe hasło ${i}` })
        .withCsrfToken()
        .redirects(0)
    }
    const fifth = await client
      .post('/panel/logowanie')
      .form({ login: 'jkowalski', password: 'złe hasło 5' })
      .withCsrfToken()
      .redirects(0)
    fifth.assertStatus(429)
    assert.include(fifth.text(), 'Zbyt wiele nieudanych prób logowania')
    /* Even the right password is refused while locked. */
    const locked = await client
      .post('/panel/logowanie')
      .form({ login: 'jkowalski', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    locked.assertStatus(429)
    assert.isTrue(Number(locked.header('retry-after')) > 0)
  })

  test('an account with TOTP needs the code: a wrong code is refused, the right one signs in once', async ({
    client,
    assert,
  }) => {
    await makeStaff('skarbnik', ['treasurer'], { totp: true })
    const first = await client
      .post('/panel/logowanie')
      .form({ login: 'skarbnik', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    first.assertHeader('location', '/panel/logowanie/kod')
    const session = first.session()

    const dashboardBefore = await client.get('/panel').withSession(session).redirects(0)
    dashboardBefore.assertStatus(302)
    dashboardBefore.assertHeader('location', '/panel/logowanie')

    const wrong = await client
      .post('/panel/logowanie/kod')
      .form({ code: '000000' })
      .withSession(session)
      .withCsrfToken()
      .redirects(0)
    wrong.assertHeader('location', '/panel/logowanie/kod')

    const code = currentCode()
    const right = await client
      .post('/panel/logowanie/kod')
      .form({ code })
      .withSession(session)
      .withCsrfToken()
      .redirects(0)
    right.assertHeader('location', '/panel')
    const failed = await db
      .from('audit_entries')
      .where('action', 'auth.totp_failed')
      .count('* as total')
      .first()
    assert.equal(Number(failed.total), 1)
  })

  test('one TOTP code sent from 20 sessions at the same moment signs in exactly one', async ({
    client,
    assert,
  }) => {
    await makeStaff('skarbnik', ['treasurer'], { totp: true })
    const sessions = []
    for (let i = 0; i < 20; i++) {
      const passwordStep = await client
        .post('/panel/logowanie')
        .form({ login: 'skarbnik', password: PASSWORD })
        .withCsrfToken()
        .redirects(0)
      passwordStep.assertHeader('location', '/panel/logowanie/kod')
      sessions.push(passwordStep.session())
    }
    const code = currentCode()
    const answers = await Promise.all(
      sessions.map((session) =>
        client
          .post('/panel/logowanie/kod')
          .form({ code })
          .withSession(session)
          .withCsrfToken()
          .redirects(0)
      )
    )
    const signedIn = answers.filter((answer) => answer.header('location') === '/panel')
    assert.lengthOf(signedIn, 1)
    const logins = await db
      .from('audit_entries')
      .where('action', 'auth.login')
      .where('actor_label', 'skarbnik')
      .count('* as total')
      .first()
    assert.equal(Number(logins.total), 1)
  }).timeout(60_000)

  test('an administrator without TOTP must enrol before the first session', async ({ client }) => {
    await makeStaff('admin', ['admin'])
    const response = await client
      .post('/panel/logowanie')
      .form({ login: 'admin', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/panel/logowanie/2fa')
  })

  test('a disabled account cannot sign in', async ({ client }) => {
    await makeStaff('zwolniony', ['clerk'], { active: false })
    const response = await client
      .post('/panel/logowanie')
      .form({ login: 'zwolniony', password: PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertHeader('location', '/panel/logowanie')
  })
})

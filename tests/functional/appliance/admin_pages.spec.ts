import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import StaffUser from '#core/models/staff_user'
import { makeStaff, resetSharedState, withOffice } from '#tests/helpers'

test.group('Appliance / admin pages', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetSharedState())

  test('the administrator sees the backup page in Polish, with captions', async ({ client }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const response = await client.get('/panel/admin/kopie').signedIn('staff', admin)
    response.assertStatus(200)
    response.assertTextIncludes('<h1>Kopie zapasowe</h1>')
    response.assertTextIncludes('<caption>Ostatnie wykonania kopii')
    response.assertTextIncludes('<caption>Migawki w repozytorium')
    // No repository in the test data directory: said plainly, not an error page.
    response.assertTextIncludes('Repozytorium kopii jest niedostępne')
  }).timeout(30_000)

  test('the diagnostics page lists every check with a Polish state', async ({ client }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const response = await client.get('/panel/admin/diagnostyka').signedIn('staff', admin)
    response.assertStatus(200)
    response.assertTextIncludes('<th scope="row">Ostatnia kopia zapasowa</th>')
    response.assertTextIncludes('<th scope="row">Baza danych i migracje</th>')
    response.assertTextIncludes('<strong>Błąd</strong>')
  }).timeout(30_000)

  test('a clerk is refused both pages', async ({ client }) => {
    await withOffice()
    const clerk = await makeStaff('urzednik1', ['clerk'])
    for (const path of ['/panel/admin/kopie', '/panel/admin/diagnostyka']) {
      const response = await client.get(path).signedIn('staff', clerk).redirects(0)
      response.assertStatus(403)
    }
  }).timeout(30_000)
})

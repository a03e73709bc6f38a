import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import officeProfileService from '#core/services/office_profile_service'
import { resetSharedState, withOffice } from '#tests/helpers'

test.group('Home page cache / Cache-Control: no-cache', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
  })
  group.each.teardown(() => officeProfileService.forget())

  test('a request with no-cache renders the home page afresh and keeps the new copy', async ({
    client,
    assert,
  }) => {
    const first = await client.get('/')
    first.assertStatus(200)
    assert.include(first.text(), 'Urząd Gminy Testowa')

    /* The profile the page is rendered from changes without clearing the cached page. */
    const office = (await officeProfileService.get())!
    office.name = 'Urząd Gminy Nowa Wieś'

    const cached = await client.get('/')
    cached.assertStatus(200)
    assert.include(cached.text(), 'Urząd Gminy Testowa')
    assert.notInclude(cached.text(), 'Urząd Gminy Nowa Wieś')

    const fresh = await client.get('/').header('Cache-Control', 'no-cache')
    fresh.assertStatus(200)
    assert.include(fresh.text(), 'Urząd Gminy Nowa Wieś')
    assert.notInclude(fresh.text(), 'Urząd Gminy Testowa')
    assert.equal(fresh.header('cache-control'), 'public, max-age=60')

    const after = await client.get('/')
    assert.include(after.text(), 'Urząd Gminy Nowa Wieś')
  })

  test('a plain reload (max-age=0) and look-alike values still get the cached page', async ({
    client,
    assert,
  }) => {
    await client.get('/')
    const office = (await officeProfileService.get())!
    office.name = 'Urząd Gminy Nowa Wieś'

    for (const value of ['max-age=0', 'no-cache-please']) {
      const page = await client.get('/').header('Cache-Control', value)
      page.assertStatus(200)
      assert.include(page.text(), 'Urząd Gminy Testowa', value)
    }
  })
})

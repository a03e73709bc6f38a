import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import StaffUser from '#core/models/staff_user'
import { resetSharedState, withOffice } from '#tests/helpers'
import * as abilities from '#core/policies/abilities'
import { Bouncer } from '@adonisjs/bouncer'

test.group('probe', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => { await resetSharedState(); await withOffice() })
  test('p', async ({ client }) => {
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    console.log(admin.roles, admin.isAdmin, 'roles' in admin, admin.isActive)
    const b = new Bouncer(() => admin, abilities, {})
    console.log(await b.allows('manageStaff'), await b.allows('viewDashboard'))
    const r = await client.get('/panel').withGuard('staff').loginAs(admin).withSession({ staff_login_at: Date.now() }).redirects(0)
    console.log(r.status())
    const r2 = await client.get('/panel/admin/pracownicy').withGuard('staff').loginAs(admin).withSession({ staff_login_at: Date.now() }).redirects(0)
    console.log(r2.status())
  })
})

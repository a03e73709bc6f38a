import router from '@adonisjs/core/services/router'
import { signedInStaffStack } from '#core/routes'

const ReportsController = () => import('#fees/controllers/reports_controller')

/* Lists and summaries for the treasurer's office. */
router
  .group(() => {
    router.get('/zaleglosci', [ReportsController, 'arrears']).as('fees.reports.arrears')
    router.post('/zaleglosci', [ReportsController, 'startArrears']).as('fees.reports.arrears.start')
    router
      .get('/zaleglosci/zestawienie/:id', [ReportsController, 'arrearsResult'])
      .as('fees.reports.arrears.result')
      .where('id', router.matchers.number())
    router.get('/zestawienie-dzienne', [ReportsController, 'daily']).as('fees.reports.daily')
  })
  .prefix('/panel/podatki')
  .use(signedInStaffStack())

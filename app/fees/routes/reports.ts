import router from '@adonisjs/core/services/router'
import { signedInStaffStack } from '#core/routes'

const ReportsController = () => import('#fees/controllers/reports_controller')

/* Lists and summaries for the treasurer's office. */
router
  .group(() => {
    router.get('/zaleglosci', [ReportsController, 'arrears']).as('fees.reports.arrears')
    router.get('/zestawienie-dzienne', [ReportsController, 'daily']).as('fees.reports.daily')
  })
  .prefix('/panel/podatki')
  .use(signedInStaffStack())

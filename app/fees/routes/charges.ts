/* Waste-fee declarations and other fees of one taxpayer (pages beside the account card). */
import router from '@adonisjs/core/services/router'
import { signedInStaffStack } from '#core/routes'

const WasteDeclarationsController = () => import('#fees/controllers/waste_declarations_controller')
const FeeAssignmentsController = () => import('#fees/controllers/fee_assignments_controller')

router
  .group(() => {
    const number = router.matchers.number()
    router
      .get('/:id/odpady', [WasteDeclarationsController, 'index'])
      .as('fees.waste.index')
      .where('id', number)
    router
      .post('/:id/odpady', [WasteDeclarationsController, 'store'])
      .as('fees.waste.store')
      .where('id', number)
    router
      .get('/:id/oplaty', [FeeAssignmentsController, 'index'])
      .as('fees.charges.index')
      .where('id', number)
    router
      .post('/:id/oplaty', [FeeAssignmentsController, 'store'])
      .as('fees.charges.store')
      .where('id', number)
  })
  .prefix('/panel/podatki')
  .use(signedInStaffStack())

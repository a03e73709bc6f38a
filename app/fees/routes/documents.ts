import router from '@adonisjs/core/services/router'
import { signedInStaffStack } from '#core/routes'

const DecisionDocumentsController = () => import('#fees/controllers/decision_documents_controller')

/* Official letters of the module as PDF downloads for staff. */
router
  .group(() => {
    router.get('/decyzje/:id/pdf', [DecisionDocumentsController, 'show']).as('fees.decisions.pdf')
  })
  .prefix('/panel/podatki')
  .use(signedInStaffStack())

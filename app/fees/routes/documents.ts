import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { staffStack } from '#core/routes'

const DecisionDocumentsController = () => import('#fees/controllers/decision_documents_controller')

/* Official letters of the module as PDF downloads for staff. */
router
  .group(() => {
    router.get('/decyzje/:id/pdf', [DecisionDocumentsController, 'show']).as('fees.decisions.pdf')
  })
  .prefix('/panel/podatki')
  .use([...staffStack(), middleware.setupDone(), middleware.staff()])

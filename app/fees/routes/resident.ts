/* "Moje podatki i opłaty" in the e-BOK: the signed-in resident's taxpayer accounts. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { webStack } from '#core/routes'

const ResidentTaxesController = () => import('#fees/controllers/resident_taxes_controller')
const ResidentDecisionsController = () => import('#fees/controllers/resident_decisions_controller')

router
  .group(() => {
    const number = router.matchers.number()
    router.get('/', [ResidentTaxesController, 'index']).as('fees.resident.index')
    router.post('/polacz', [ResidentTaxesController, 'link']).as('fees.resident.link')
    router
      .get('/:id', [ResidentTaxesController, 'show'])
      .as('fees.resident.show')
      .where('id', number)
    router
      .get('/decyzje/:id/pdf', [ResidentDecisionsController, 'pdf'])
      .as('fees.resident.decision_pdf')
      .where('id', number)
  })
  .prefix('/konto/podatki')
  .use([...webStack(), middleware.resident()])

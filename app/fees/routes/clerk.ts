/* The tax clerk's pages: taxpayer register, account card, objects, decisions, bookings. */
import router from '@adonisjs/core/services/router'
import { signedInStaffStack } from '#core/routes'

const TaxpayersController = () => import('#fees/controllers/taxpayers_controller')
const TaxObjectsController = () => import('#fees/controllers/tax_objects_controller')
const TaxDecisionsController = () => import('#fees/controllers/tax_decisions_controller')
const AccountBookingsController = () => import('#fees/controllers/account_bookings_controller')

router
  .group(() => {
    const number = router.matchers.number()
    router.get('/', [TaxpayersController, 'index']).as('fees.taxpayers.index')
    router.get('/nowy', [TaxpayersController, 'create']).as('fees.taxpayers.create')
    router.post('/', [TaxpayersController, 'store']).as('fees.taxpayers.store')
    router.get('/:id', [TaxpayersController, 'show']).as('fees.taxpayers.show').where('id', number)
    router
      .get('/:id/edycja', [TaxpayersController, 'edit'])
      .as('fees.taxpayers.edit')
      .where('id', number)
    router
      .post('/:id', [TaxpayersController, 'update'])
      .as('fees.taxpayers.update')
      .where('id', number)

    router
      .get('/:id/przedmioty/nowy', [TaxObjectsController, 'create'])
      .as('fees.objects.create')
      .where('id', number)
    router
      .post('/:id/przedmioty', [TaxObjectsController, 'store'])
      .as('fees.objects.store')
      .where('id', number)
    router
      .get('/przedmioty/:id', [TaxObjectsController, 'edit'])
      .as('fees.objects.edit')
      .where('id', number)
    router
      .post('/przedmioty/:id', [TaxObjectsController, 'update'])
      .as('fees.objects.update')
      .where('id', number)
    router
      .post('/przedmioty/:id/koniec', [TaxObjectsController, 'end'])
      .as('fees.objects.end')
      .where('id', number)

    router
      .get('/:id/wymiar', [TaxDecisionsController, 'create'])
      .as('fees.decisions.create')
      .where('id', number)
    router
      .post('/:id/wymiar', [TaxDecisionsController, 'store'])
      .as('fees.decisions.store')
      .where('id', number)
    router
      .get('/decyzje/:id', [TaxDecisionsController, 'show'])
      .as('fees.decisions.show')
      .where('id', number)
    router
      .post('/decyzje/:id/doreczenie', [TaxDecisionsController, 'delivery'])
      .as('fees.decisions.delivery')
      .where('id', number)
    router
      .post('/decyzje/:id/zmiana', [TaxDecisionsController, 'correct'])
      .as('fees.decisions.correct')
      .where('id', number)

    router
      .get('/:id/wplata', [AccountBookingsController, 'paymentForm'])
      .as('fees.payments.create')
      .where('id', number)
    router
      .post('/:id/wplata', [AccountBookingsController, 'payment'])
      .as('fees.payments.store')
      .where('id', number)
    router
      .get('/raty/:id/odpis', [AccountBookingsController, 'writeOffForm'])
      .as('fees.writeoffs.create')
      .where('id', number)
    router
      .post('/raty/:id/odpis', [AccountBookingsController, 'writeOff'])
      .as('fees.writeoffs.store')
      .where('id', number)
    router
      .get('/:id/zwrot', [AccountBookingsController, 'refundForm'])
      .as('fees.refunds.create')
      .where('id', number)
    router
      .post('/:id/zwrot', [AccountBookingsController, 'refund'])
      .as('fees.refunds.store')
      .where('id', number)
    router
      .post('/:id/konta', [AccountBookingsController, 'link'])
      .as('fees.links.store')
      .where('id', number)
    router
      .post('/:id/konta/usun', [AccountBookingsController, 'unlink'])
      .as('fees.links.destroy')
      .where('id', number)
  })
  .prefix('/panel/podatki')
  .use(signedInStaffStack())

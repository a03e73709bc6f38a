/* The treasurer's rules as data: resolution rates, interest table and threshold, waste-fee rates, other fee types. */
import router from '@adonisjs/core/services/router'
import { signedInStaffStack } from '#core/routes'

const TaxRatesController = () => import('#fees/controllers/configuration_tax_rates_controller')
const InterestController = () => import('#fees/controllers/configuration_interest_controller')
const WasteRatesController = () => import('#fees/controllers/configuration_waste_rates_controller')
const FeeTypesController = () => import('#fees/controllers/configuration_fee_types_controller')

router
  .group(() => {
    const number = router.matchers.number()
    router.get('/', [TaxRatesController, 'overview']).as('fees.configuration.index')

    router.get('/stawki', [TaxRatesController, 'show']).as('fees.configuration.rates')
    router.post('/stawki', [TaxRatesController, 'update']).as('fees.configuration.rates.update')
    router.post('/stawki/kopiuj', [TaxRatesController, 'copy']).as('fees.configuration.rates.copy')

    router.get('/odsetki', [InterestController, 'index']).as('fees.configuration.interest')
    router.post('/odsetki', [InterestController, 'store']).as('fees.configuration.interest.store')
    router
      .post('/odsetki/prog', [InterestController, 'threshold'])
      .as('fees.configuration.interest.threshold')
    router
      .get('/odsetki/:id', [InterestController, 'edit'])
      .as('fees.configuration.interest.edit')
      .where('id', number)
    router
      .post('/odsetki/:id', [InterestController, 'update'])
      .as('fees.configuration.interest.update')
      .where('id', number)

    router.get('/odpady', [WasteRatesController, 'index']).as('fees.configuration.waste')
    router.post('/odpady', [WasteRatesController, 'store']).as('fees.configuration.waste.store')
    router
      .get('/odpady/:id', [WasteRatesController, 'edit'])
      .as('fees.configuration.waste.edit')
      .where('id', number)
    router
      .post('/odpady/:id', [WasteRatesController, 'update'])
      .as('fees.configuration.waste.update')
      .where('id', number)

    router.get('/oplaty', [FeeTypesController, 'index']).as('fees.configuration.fees')
    router.get('/oplaty/nowa', [FeeTypesController, 'create']).as('fees.configuration.fees.create')
    router.post('/oplaty', [FeeTypesController, 'store']).as('fees.configuration.fees.store')
    router
      .get('/oplaty/:id', [FeeTypesController, 'edit'])
      .as('fees.configuration.fees.edit')
      .where('id', number)
    router
      .post('/oplaty/:id', [FeeTypesController, 'update'])
      .as('fees.configuration.fees.update')
      .where('id', number)
  })
  .prefix('/panel/podatki/konfiguracja')
  .use(signedInStaffStack())

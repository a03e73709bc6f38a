/* Anonymous fees pages, off the session stack (no session, no CSRF: GET forms only). */
import router from '@adonisjs/core/services/router'
import { serviceCatalogue } from '#core/services/service_catalogue'

const InterestCalculatorController = () =>
  import('#fees/controllers/interest_calculator_controller')

router.get('/kalkulator-odsetek', [InterestCalculatorController, 'show']).as('fees.calculator')
serviceCatalogue.enable('interest-calculator', '/kalkulator-odsetek')

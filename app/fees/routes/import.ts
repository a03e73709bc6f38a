/* CSV import of the register and of payments from the previous system. */
import router from '@adonisjs/core/services/router'
import { signedInStaffStack } from '#core/routes'

const ImportsController = () => import('#fees/controllers/imports_controller')

router
  .group(() => {
    router.get('/', [ImportsController, 'create']).as('fees.imports.create')
    router.post('/', [ImportsController, 'store']).as('fees.imports.store')
    router
      .get('/:id', [ImportsController, 'show'])
      .as('fees.imports.show')
      .where('id', router.matchers.number())
  })
  .prefix('/panel/podatki/import')
  .use(signedInStaffStack())

/*
 * Module appliance: the administrator's server pages (backups, diagnostics).
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { staffStack } from '#core/routes'

const ServerAdminController = () => import('#appliance/controllers/server_admin_controller')

router
  .group(() => {
    router.get('/kopie', [ServerAdminController, 'backups']).as('admin.backups')
    router.get('/diagnostyka', [ServerAdminController, 'diagnostics']).as('admin.diagnostics')
  })
  .prefix('/panel/admin')
  .use([...staffStack(), middleware.setupDone(), middleware.staff()])

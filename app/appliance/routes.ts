/*
 * Module appliance: the administrator's server pages (backups, diagnostics, VPN).
 */
import router from '@adonisjs/core/services/router'
import { signedInStaffStack } from '#core/routes'
import staffZone from '#core/services/staff_zone'

/* Clerks on the VPN belong to the staff zone once the VPN is set up. */
staffZone.addSource('vpn', async () => {
  const { default: vpnService } = await import('#appliance/services/vpn')
  return vpnService.zoneRange()
})

const ServerAdminController = () => import('#appliance/controllers/server_admin_controller')
const VpnController = () => import('#appliance/controllers/vpn_controller')

router
  .group(() => {
    router.get('/kopie', [ServerAdminController, 'backups']).as('admin.backups')
    router.get('/diagnostyka', [ServerAdminController, 'diagnostics']).as('admin.diagnostics')
    router.get('/vpn', [VpnController, 'index']).as('admin.vpn')
    router.post('/vpn/ustawienia', [VpnController, 'saveSettings']).as('admin.vpn.settings')
    router.post('/vpn/urzadzenia', [VpnController, 'addPeer']).as('admin.vpn.add')
    router
      .post('/vpn/urzadzenia/:id/plik', [VpnController, 'download'])
      .where('id', router.matchers.number())
      .as('admin.vpn.download')
    router
      .post('/vpn/urzadzenia/:id/odwolaj', [VpnController, 'revoke'])
      .where('id', router.matchers.number())
      .as('admin.vpn.revoke')
  })
  .prefix('/panel/admin')
  .use(signedInStaffStack())

import { Job } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import vpnService from '#appliance/services/vpn'

/** Hourly: rewrites the peers file so a device past its expiry date drops out of the tunnel. */
export default class VpnExpiryJob extends Job<Record<string, never>> {
  static options: JobOptions = { name: 'appliance.vpn_expiry', maxRetries: 0 }

  async execute() {
    await vpnService.writePeersFile()
  }
}

import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class VpnList extends BaseCommand {
  static commandName = 'vpn:list'
  static description = 'List the VPN peers (clerk devices) with address, expiry and state'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Print the peers as JSON' })
  declare json: boolean

  async run() {
    const { default: vpnService } = await import('#appliance/services/vpn')
    const peers = await vpnService.peers()
    if (this.json) {
      process.stdout.write(`${JSON.stringify(peers)}\n`)
      return
    }
    for (const p of peers) {
      process.stdout.write(
        `${String(p.id).padStart(4)}  ${p.state.padEnd(8)}  ${p.address.padEnd(15)}  ${p.login.padEnd(16)}  ${p.deviceName.padEnd(24)}  expires ${p.expiresAt ?? 'never'}\n`
      )
    }
    process.stdout.write(`${peers.length} peer(s)\n`)
  }
}

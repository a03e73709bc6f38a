import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Rewrites the peers file from the database (expired peers drop out); the .path unit applies it. */
export default class VpnApply extends BaseCommand {
  static commandName = 'vpn:apply'
  static description = 'Rewrite the VPN peers file from the database for the root helper to apply'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { default: vpnService } = await import('#appliance/services/vpn')
    const { path, peers } = await vpnService.writePeersFile()
    process.stdout.write(`${peers} active peer(s) written to ${path}\n`)
  }
}

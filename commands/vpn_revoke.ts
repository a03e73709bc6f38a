import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Exit codes: 0 revoked, 1 no such peer or already revoked. */
export default class VpnRevoke extends BaseCommand {
  static commandName = 'vpn:revoke'
  static description = 'Revoke a VPN peer; the peers file is rewritten and the helper applies it'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Peer id (see vpn:list)' })
  declare id: string

  async run() {
    const { default: vpnService, VpnError } = await import('#appliance/services/vpn')
    if (!/^\d+$/.test(this.id)) {
      process.stderr.write(`vpn:revoke: "${this.id}" is not a peer id\n`)
      this.exitCode = 1
      return
    }
    try {
      const peer = await vpnService.revokePeer(Number(this.id), {
        realm: 'system',
        id: null,
        label: 'console (ratusz vpn revoke)',
      })
      process.stdout.write(
        `Revoked peer ${peer.id} (${peer.login} / ${peer.deviceName}, ${peer.address}).\n`
      )
    } catch (error) {
      if (!(error instanceof VpnError)) throw error
      process.stderr.write(`vpn:revoke: ${error.message}\n`)
      this.exitCode = 1
    }
  }
}

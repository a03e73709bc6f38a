import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Exit codes: 0 added, 1 refused (the message names the option).
 * The client configuration is printed (or written to --out) once and never stored.
 */
export default class VpnAdd extends BaseCommand {
  static commandName = 'vpn:add'
  static description = "Add a VPN peer for a clerk's device and print its configuration once"
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: "The clerk's login", alias: ['login'] })
  declare staff: string

  @flags.string({ description: 'Device name, e.g. "laptop"' })
  declare device: string

  @flags.string({ description: 'Last day the peer works (YYYY-MM-DD)' })
  declare expires?: string

  @flags.string({ description: 'Write the configuration to this file (0600, must not exist)' })
  declare out?: string

  @flags.boolean({ description: 'Also print the configuration as a QR code for the terminal' })
  declare qr: boolean

  async run() {
    const { default: vpnService, VpnError } = await import('#appliance/services/vpn')
    if (!this.staff || !this.device) {
      process.stderr.write('vpn:add: --staff LOGIN and --device NAME are required\n')
      this.exitCode = 1
      return
    }
    try {
      const { peer, config } = await vpnService.addPeer(
        { login: this.staff, deviceName: this.device, expiresAt: this.expires ?? null },
        { realm: 'system', id: null, label: 'console (ratusz vpn add)' }
      )
      process.stderr.write(
        `Peer ${peer.id}: ${peer.login} / ${peer.deviceName} at ${peer.address}, expires ${peer.expiresAt ?? 'never'}.\n` +
          'The private key below is not stored anywhere: hand the configuration over now.\n'
      )
      if (this.out) {
        const { writeFile } = await import('node:fs/promises')
        await writeFile(this.out, config, { mode: 0o600, flag: 'wx' })
        process.stderr.write(`Configuration written to ${this.out} (0600).\n`)
      } else {
        process.stdout.write(config)
      }
      if (this.qr) {
        const { default: QRCode } = await import('qrcode')
        process.stdout.write(
          await QRCode.toString(config, { type: 'utf8', errorCorrectionLevel: 'M' })
        )
      }
    } catch (error) {
      if (!(error instanceof VpnError) && (error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw error
      process.stderr.write(`vpn:add: ${(error as Error).message}\n`)
      this.exitCode = 1
    }
  }
}

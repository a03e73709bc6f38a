import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/** Exit codes: 0 interface up, 1 interface down or unreadable. */
export default class VpnStatus extends BaseCommand {
  static commandName = 'vpn:status'
  static description =
    "Live VPN status from 'wg show IFACE dump': last handshake and transfer per peer"
  static options: CommandOptions = { startApp: true }

  @flags.string({
    description:
      "Read 'wg show IFACE dump' output from this file ('-': standard input) instead of running wg",
  })
  declare dump?: string

  async run() {
    const { default: vpnService, parseDump } = await import('#appliance/services/vpn')
    let live
    if (this.dump) {
      const { readFile } = await import('node:fs/promises')
      const { text: readAll } = await import('node:stream/consumers')
      const text =
        this.dump === '-' ? await readAll(process.stdin) : await readFile(this.dump, 'utf8')
      try {
        live = { up: true as const, status: parseDump(text) }
      } catch (error) {
        live = { up: false as const, message: (error as Error).message }
      }
    } else {
      live = await vpnService.liveStatus()
    }
    if (!live.up) {
      process.stderr.write(`vpn:status: ${live.message}\n`)
      this.exitCode = 1
      return
    }
    const known = await vpnService.peers()
    const byKey = new Map(known.map((p) => [p.publicKey, p]))
    const now = Date.now() / 1000
    process.stdout.write(
      `listening on port ${live.status.listenPort ?? 'off'}, ${live.status.peers.length} peer(s)\n`
    )
    for (const p of live.status.peers) {
      const peer = byKey.get(p.publicKey)
      const who = peer ? `${peer.id} ${peer.login}/${peer.deviceName}` : 'unknown peer'
      const handshake = p.latestHandshake ? `${Math.round(now - p.latestHandshake)} s ago` : 'never'
      process.stdout.write(
        `${(p.allowedIps[0] ?? '').padEnd(18)}  ${who.padEnd(36)}  handshake ${handshake.padEnd(12)}  rx ${p.rxBytes} B  tx ${p.txBytes} B\n`
      )
    }
  }
}

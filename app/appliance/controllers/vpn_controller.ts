import type { HttpContext } from '@adonisjs/core/http'
import StaffUser from '#core/models/staff_user'
import QRCode from 'qrcode'
import { actorFrom } from '#core/services/audit_log'
import { formatDate } from '#core/services/formatting'
import vpnService, { VpnError, type NewPeer } from '#appliance/services/vpn'

const STATE_LABELS = {
  active: 'Aktywne',
  expired: 'Wygasło',
  revoked: 'Odwołane',
  disabled: 'Konto pracownika wyłączone',
} as const

/* Stored times are UTC 'YYYY-MM-DD HH:MM:SS'; the page shows Warsaw time. */
function utcText(value: string | null): string {
  return value ? formatDate(new Date(`${value.replace(' ', 'T')}Z`), true) : ''
}

function bytes(value: number): string {
  if (value < 1024) return `${value} B`
  if (value < 1024 ** 2) return `${(value / 1024).toFixed(1).replace('.', ',')} KiB`
  if (value < 1024 ** 3) return `${(value / 1024 ** 2).toFixed(1).replace('.', ',')} MiB`
  return `${(value / 1024 ** 3).toFixed(2).replace('.', ',')} GiB`
}

function fileName(peer: NewPeer['peer']): string {
  const device = peer.deviceName
    .normalize('NFD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
  return `ratusz-vpn-${peer.login}-${device || peer.id}.conf`
}

/** The administrator's VPN page: server settings, devices with live status, add and revoke. */
export default class VpnController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageOffice')
    return this.#render(ctx)
  }

  async #render(ctx: HttpContext, extra: Record<string, unknown> = {}, status = 200) {
    /* One after another: inside a transaction they share one database connection. */
    const settings = await vpnService.settings()
    const peers = await vpnService.peers()
    const live = await vpnService.liveStatus()
    const staff = await StaffUser.query().where('isActive', true).orderBy('fullName')
    const byKey = new Map(live.up ? live.status.peers.map((p) => [p.publicKey, p]) : [])
    const now = Date.now() / 1000
    const rows = peers.map((peer) => {
      const seen = byKey.get(peer.publicKey)
      return {
        ...peer,
        stateLabel: STATE_LABELS[peer.state],
        created: utcText(peer.createdAt),
        expires: peer.expiresAt ? formatDate(peer.expiresAt) : 'bezterminowo',
        downloaded: peer.configDownloadedAt ? utcText(peer.configDownloadedAt) : 'nie',
        handshake: !live.up
          ? 'brak danych'
          : seen?.latestHandshake
            ? `${formatDate(new Date(seen.latestHandshake * 1000), true)}${now - seen.latestHandshake < 180 ? ' (połączone)' : ''}`
            : 'jeszcze nie',
        transfer: seen ? `odebrano ${bytes(seen.rxBytes)}, wysłano ${bytes(seen.txBytes)}` : '',
      }
    })
    ctx.response.status(status)
    return ctx.view.render('appliance/vpn', {
      settings,
      peers: rows,
      live,
      staffOptions: staff.map((user) => ({
        value: user.login,
        label: `${user.fullName} (${user.login})`,
      })),
      ...extra,
    })
  }

  #failed(ctx: HttpContext, error: unknown, form: 'settings' | 'peer') {
    if (!(error instanceof VpnError)) throw error
    const field = ['id', 'config', 'privateKey', 'serverPublicKey'].includes(error.field)
      ? null
      : error.field
    return this.#render(
      ctx,
      {
        errors: field ? { [field]: error.polish } : {},
        formError: field ? null : error.polish,
        form,
        old: ctx.request.all(),
      },
      422
    )
  }

  async saveSettings(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageOffice')
    const input = ctx.request.only([
      'interfaceName',
      'addressRange',
      'listenPort',
      'endpoint',
      'dns',
    ])
    try {
      await vpnService.saveSettings(
        {
          interfaceName: String(input.interfaceName ?? ''),
          addressRange: String(input.addressRange ?? ''),
          listenPort: /^\d{1,5}$/.test(String(input.listenPort ?? '').trim())
            ? Number(input.listenPort)
            : Number.NaN,
          endpoint: String(input.endpoint ?? ''),
          dns: input.dns ? String(input.dns) : null,
        },
        actorFrom(ctx),
        ctx.request.ip()
      )
    } catch (error) {
      return this.#failed(ctx, error, 'settings')
    }
    ctx.session.flash('notification', {
      type: 'success',
      message:
        'Zapisano ustawienia VPN. Zmiana zakresu, portu lub interfejsu wymaga też „ratusz install” z tymi samymi wartościami.',
    })
    return ctx.response.redirect('/panel/admin/vpn')
  }

  /** A new device: the configuration and its QR code are shown on this response only. */
  async addPeer(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageOffice')
    const input = ctx.request.only(['login', 'deviceName', 'expiresAt'])
    let created: NewPeer
    try {
      created = await vpnService.addPeer(
        {
          login: String(input.login ?? ''),
          deviceName: String(input.deviceName ?? ''),
          expiresAt: input.expiresAt ? String(input.expiresAt) : null,
        },
        actorFrom(ctx),
        ctx.request.ip()
      )
    } catch (error) {
      return this.#failed(ctx, error, 'peer')
    }
    const svg = await QRCode.toString(created.config, {
      type: 'svg',
      margin: 2,
      width: 320,
      errorCorrectionLevel: 'M',
    })
    const label = `Kod QR z konfiguracją VPN urządzenia „${created.peer.deviceName}”. Tę samą konfigurację zawiera plik do pobrania i tekst poniżej.`
    ctx.response.header('Cache-Control', 'no-store')
    return ctx.view.render('appliance/vpn_created', {
      peer: created.peer,
      config: created.config,
      privateKey: /^PrivateKey = (\S+)$/m.exec(created.config)![1],
      qrSvg: svg
        .replace(/^<\?xml[^>]*>\s*/, '')
        .replace(
          '<svg ',
          `<svg role="img" aria-label="${label.replace(/"/g, '&quot;')}" focusable="false" `
        ),
      fileName: fileName(created.peer),
    })
  }

  /** The configuration file, once: the page that showed the QR code posts the private key back. */
  async download(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageOffice')
    let result: NewPeer
    try {
      result = await vpnService.takeConfigDownload(
        Number(ctx.params.id),
        String(ctx.request.input('privateKey', '')),
        actorFrom(ctx),
        ctx.request.ip()
      )
    } catch (error) {
      if (!(error instanceof VpnError)) throw error
      return this.#render(ctx, { notification: { type: 'error', message: error.polish } }, 410)
    }
    ctx.response.header('Cache-Control', 'no-store')
    ctx.response.header('Content-Type', 'text/plain; charset=utf-8')
    ctx.response.header('Content-Disposition', `attachment; filename="${fileName(result.peer)}"`)
    return result.config
  }

  async revoke(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageOffice')
    try {
      const peer = await vpnService.revokePeer(
        Number(ctx.params.id),
        actorFrom(ctx),
        ctx.request.ip()
      )
      ctx.session.flash('notification', {
        type: 'success',
        message: `Odwołano urządzenie „${peer.deviceName}” (${peer.fullName}). Tunel przestanie działać po zastosowaniu zmian przez serwer.`,
      })
    } catch (error) {
      if (!(error instanceof VpnError)) throw error
      ctx.session.flash('notification', { type: 'error', message: error.polish })
    }
    return ctx.response.redirect('/panel/admin/vpn')
  }
}

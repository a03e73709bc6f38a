/*
 * WireGuard VPN for remote clerks. The database is the source of truth: the peers
 * file the root helper applies (ratusz-wg-apply via ratusz-wg-sync.path) is always
 * rewritten whole from the active peers. The web process never sees the server's
 * private key, and a client's private key exists only in the one response that
 * hands the configuration over.
 */
import { execFile } from 'node:child_process'
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { isIP } from 'node:net'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import applianceConfig from '#config/appliance'
import ratuszConfig from '#config/ratusz'
import auditLog, { type AuditActor } from '#core/services/audit_log'
import { parseIsoDate, todayInWarsaw } from '#core/services/calendar'
import { NetworkSet } from '#core/services/network_zones'
import staffZone from '#core/services/staff_zone'

/* ------------------------------------------------------------------ keys */

/* 32 bytes in base64: the last character carries only 4 bits, hence the narrow class. */
const KEY_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/
/* PKCS#8 header of an X25519 private key; the raw 32 bytes follow. */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')

export interface KeyPair {
  privateKey: string
  publicKey: string
}

export function isWireGuardKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_PATTERN.test(value)
}

function jwkToBase64(value: string | undefined): string {
  if (!value) throw new Error('X25519 key export returned no key material')
  return Buffer.from(value, 'base64url').toString('base64')
}

/** A WireGuard key pair: raw 32-byte X25519 keys in base64, as `wg genkey | wg pubkey` makes them. */
export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519')
  return {
    privateKey: jwkToBase64(privateKey.export({ format: 'jwk' }).d),
    publicKey: jwkToBase64(publicKey.export({ format: 'jwk' }).x),
  }
}

/** What `wg pubkey` prints for a private key. */
export function publicKeyOf(privateKey: string): string {
  if (!isWireGuardKey(privateKey))
    throw new VpnError('privateKey', 'not a WireGuard key', 'To nie jest klucz WireGuard.')
  const key = createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, Buffer.from(privateKey, 'base64')]),
    format: 'der',
    type: 'pkcs8',
  })
  return jwkToBase64(createPublicKey(key).export({ format: 'jwk' }).x)
}

/* ------------------------------------------------------------ addresses */

export class VpnError extends Error {
  /** message: English, for the CLI and logs; polish: for the administrator's page. */
  constructor(
    readonly field: string,
    message: string,
    readonly polish: string = message
  ) {
    super(message)
  }
}

export interface Ipv4Range {
  cidr: string
  network: number
  prefix: number
  broadcast: number
  /** The server's own address: the first host, as the installer configures it. */
  server: number
}

export function ipToInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0)
}

export function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.')
}

/* The private IPv4 blocks of RFC 1918, first and last address. */
const PRIVATE_BLOCKS: [number, number][] = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
].map(([address, bits]) => {
  const first = ipToInt(address as string)
  return [first, first + 2 ** (32 - (bits as number)) - 1]
})

/** An IPv4 VPN range between /16 and /30, given with its network address (10.77.0.0/24). */
export function parseRange(cidr: string): Ipv4Range {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr.trim())
  if (!match || isIP(match[1]) !== 4) {
    throw new VpnError(
      'addressRange',
      `"${cidr}" is not an IPv4 range such as 10.77.0.0/24`,
      'Podaj zakres adresów IPv4, np. 10.77.0.0/24.'
    )
  }
  const prefix = Number(match[2])
  if (prefix < 16 || prefix > 30) {
    throw new VpnError(
      'addressRange',
      `the range must be between /16 and /30, not /${prefix}`,
      'Zakres musi mieć maskę od /16 do /30.'
    )
  }
  const size = 2 ** (32 - prefix)
  const network = ipToInt(match[1])
  if (network % size !== 0) {
    throw new VpnError(
      'addressRange',
      `"${cidr}" does not start at its network address (${intToIp(network - (network % size))}/${prefix})`,
      `Zakres musi zaczynać się od adresu sieci: ${intToIp(network - (network % size))}/${prefix}.`
    )
  }
  const broadcast = network + size - 1
  /*
   * Only a private block (RFC 1918): the range joins the staff zone, so loopback, link-local or
   * a public range would open the panel to addresses that are not the office's clerks.
   */
  if (!PRIVATE_BLOCKS.some(([from, to]) => network >= from && broadcast <= to)) {
    throw new VpnError(
      'addressRange',
      `"${cidr}" is not inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)`,
      'Zakres musi leżeć w puli adresów prywatnych: 10.0.0.0/8, 172.16.0.0/12 albo 192.168.0.0/16.'
    )
  }
  return {
    cidr: `${match[1]}/${prefix}`,
    network,
    prefix,
    broadcast,
    server: network + 1,
  }
}

/** The lowest free host address: never the network, the server's or the broadcast address. */
export function allocateAddress(range: Ipv4Range, taken: Iterable<string>): string {
  const used = new Set(taken)
  for (let candidate = range.server + 1; candidate < range.broadcast; candidate++) {
    const address = intToIp(candidate)
    if (!used.has(address)) return address
  }
  throw new VpnError(
    'addressRange',
    `no free address left in ${range.cidr}`,
    `W zakresie ${range.cidr} nie ma wolnych adresów: odwołaj nieużywane urządzenia albo poszerz zakres.`
  )
}

/* ------------------------------------------------------- configurations */

export interface ClientConfigInput {
  privateKey: string
  address: string
  dns?: string | null
  serverPublicKey: string
  endpoint: string
  allowedIps: string[]
}

/** The clerk's wg-quick configuration (shown once: it holds the private key). */
export function clientConfig(input: ClientConfigInput): string {
  const lines = ['[Interface]', `PrivateKey = ${input.privateKey}`, `Address = ${input.address}/32`]
  if (input.dns) lines.push(`DNS = ${input.dns}`)
  lines.push(
    '',
    '[Peer]',
    `PublicKey = ${input.serverPublicKey}`,
    `Endpoint = ${input.endpoint}`,
    `AllowedIPs = ${input.allowedIps.join(', ')}`,
    'PersistentKeepalive = 25',
    ''
  )
  return lines.join('\n')
}

/** The [Peer] sections ratusz-wg-apply accepts: public key and one /32 each, nothing else. */
export function peersFileText(peers: Array<{ id: number; publicKey: string; address: string }>) {
  const lines = ['# Written by Ratusz from its database; applied by ratusz-wg-apply.']
  for (const peer of peers) {
    lines.push(
      '',
      `# peer ${peer.id}`,
      '[Peer]',
      `PublicKey = ${peer.publicKey}`,
      `AllowedIPs = ${peer.address}/32`
    )
  }
  return `${lines.join('\n')}\n`
}

/**
 * What the clerk's device routes into the tunnel: the office networks (IPv4
 * entries of STAFF_NETWORKS unless RATUSZ_VPN_OFFICE_NETWORKS says otherwise,
 * without loopback or a default route) and the VPN range itself.
 */
export function clientAllowedIps(officeSpec: string, vpnRange: string): string[] {
  const result: string[] = []
  for (const entry of new NetworkSet(officeSpec).entries) {
    const [address, prefix = '32'] = entry.split('/')
    if (isIP(address) !== 4 || Number(prefix) === 0) continue
    if (address.startsWith('127.') || address.startsWith('169.254.')) continue
    result.push(`${address}/${prefix}`)
  }
  if (!result.includes(vpnRange)) result.push(vpnRange)
  return result
}

/* --------------------------------------------------------------- status */

export interface PeerStatus {
  publicKey: string
  endpoint: string | null
  allowedIps: string[]
  /** Seconds since the epoch, null before the first handshake. */
  latestHandshake: number | null
  rxBytes: number
  txBytes: number
}

export interface InterfaceStatus {
  publicKey: string
  listenPort: number | null
  peers: PeerStatus[]
}

/**
 * Parses `wg show IFACE dump`: a tab-separated interface line (whose private key
 * is read past, never kept), then one line per peer.
 */
export function parseDump(text: string): InterfaceStatus {
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  if (lines.length === 0) throw new Error('empty output from wg show dump')
  const head = lines[0].split('\t')
  if (head.length !== 4) throw new Error('unexpected interface line in wg show dump')
  const peers = lines.slice(1).map((line) => {
    const f = line.split('\t')
    if (f.length !== 8) throw new Error('unexpected peer line in wg show dump')
    const handshake = Number(f[4])
    return {
      publicKey: f[0],
      endpoint: f[2] === '(none)' ? null : f[2],
      allowedIps: f[3] === '(none)' ? [] : f[3].split(','),
      latestHandshake: handshake > 0 ? handshake : null,
      rxBytes: Number(f[5]),
      txBytes: Number(f[6]),
    }
  })
  return { publicKey: head[1], listenPort: head[2] === 'off' ? null : Number(head[2]), peers }
}

export type LiveStatus = { up: true; status: InterfaceStatus } | { up: false; message: string }

export function wgShowDump(iface: string): Promise<LiveStatus> {
  return new Promise((resolve) => {
    execFile('wg', ['show', iface, 'dump'], { timeout: 5000 }, (error, stdout, stderr) => {
      if (error) {
        const reason = (stderr || error.message).trim().split('\n')[0]
        resolve({ up: false, message: `interface ${iface} is down or not readable: ${reason}` })
        return
      }
      try {
        resolve({ up: true, status: parseDump(stdout) })
      } catch (parseError) {
        resolve({ up: false, message: (parseError as Error).message })
      }
    })
  })
}

/* ------------------------------------------------------------- database */

export interface VpnSettings {
  interfaceName: string
  addressRange: string
  listenPort: number
  endpoint: string
  dns: string | null
  serverPublicKey: string | null
}

export interface VpnPeer {
  id: number
  staffUserId: number
  login: string
  fullName: string
  deviceName: string
  publicKey: string
  address: string
  expiresAt: string | null
  revokedAt: string | null
  configDownloadedAt: string | null
  createdAt: string
  /** disabled: the clerk's account is switched off, so the device leaves the tunnel too. */
  state: 'active' | 'expired' | 'revoked' | 'disabled'
}

export interface NewPeer {
  peer: VpnPeer
  /** The clerk's configuration with its private key: hand it over, never store or log it. */
  config: string
}

function nowText() {
  return new Date().toISOString().slice(0, 19).replace('T', ' ')
}

/* SQLite gives back text, PostgreSQL a Date: both become 'YYYY-MM-DD HH:MM:SS' (UTC). */
function timeText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString().slice(0, 19).replace('T', ' ')
  return String(value).slice(0, 19).replace('T', ' ')
}

/* chmod is an inotify event for the .path unit even when nothing changes: only when wrong. */
async function fixMode(path: string, mode: number) {
  const info = await stat(path)
  if ((info.mode & 0o777) !== mode) await chmod(path, mode)
}

const INTERFACE_PATTERN = /^[a-z][a-z0-9]{0,14}$/
const DEVICE_PATTERN = /^[\p{L}\p{N} ._()-]{1,60}$/u
const ENDPOINT_PATTERN = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:]+\]):\d{1,5}$/

export interface VpnServiceOptions {
  serverKeyFile: string
  peersFile: string
  officeNetworks: string
  defaults: { iface: string; range: string; port: number; endpoint: string }
}

export class VpnService {
  constructor(readonly options: VpnServiceOptions) {}

  /** The settings row, or the installer's values from the environment when none was saved yet. */
  async settings(
    client: TransactionClientContract | typeof db = db
  ): Promise<VpnSettings & { saved: boolean }> {
    const row = await client.from('appliance_vpn_settings').where('id', 1).first()
    const serverPublicKey = (await this.readServerPublicKey()) ?? row?.server_public_key ?? null
    if (!row) {
      const d = this.options.defaults
      return {
        saved: false,
        interfaceName: d.iface,
        addressRange: d.range,
        listenPort: d.port,
        endpoint: d.endpoint,
        dns: null,
        serverPublicKey,
      }
    }
    return {
      saved: true,
      interfaceName: row.interface_name,
      addressRange: row.address_range,
      listenPort: Number(row.listen_port),
      endpoint: row.endpoint,
      dns: row.dns,
      serverPublicKey,
    }
  }

  async readServerPublicKey(): Promise<string | null> {
    try {
      const raw = await readFile(this.options.serverKeyFile, 'utf8')
      const text = raw.trim()
      return isWireGuardKey(text) ? text : null
    } catch {
      return null
    }
  }

  /** Checks and saves the server settings; a range that would strand active peers is refused. */
  async saveSettings(
    input: {
      interfaceName: string
      addressRange: string
      listenPort: number
      endpoint: string
      dns?: string | null
    },
    actor: AuditActor,
    ip: string | null = null
  ): Promise<VpnSettings> {
    const interfaceName = input.interfaceName.trim()
    if (!INTERFACE_PATTERN.test(interfaceName)) {
      throw new VpnError(
        'interfaceName',
        'the interface name must be short lower-case letters and digits, such as wg0',
        'Podaj nazwę interfejsu: małe litery i cyfry (do 15 znaków), np. wg0.'
      )
    }
    const range = parseRange(input.addressRange)
    if (!Number.isInteger(input.listenPort) || input.listenPort < 1 || input.listenPort > 65535) {
      throw new VpnError(
        'listenPort',
        'the port must be a number from 1 to 65535',
        'Podaj port od 1 do 65535.'
      )
    }
    const endpoint = input.endpoint.trim()
    if (!ENDPOINT_PATTERN.test(endpoint)) {
      throw new VpnError(
        'endpoint',
        'the public endpoint must be host:port, such as urzad.example.pl:51820',
        'Podaj adres publiczny w postaci nazwa:port, np. urzad.gmina.pl:51820.'
      )
    }
    const dns = input.dns?.trim() || null
    if (dns && dns.split(',').some((entry) => isIP(entry.trim()) === 0)) {
      throw new VpnError(
        'dns',
        'DNS must be IP addresses separated by commas',
        'Podaj adresy IP serwerów DNS oddzielone przecinkami.'
      )
    }
    const result = await db.transaction(async (trx) => {
      const held = await this.#heldAddresses(trx)
      const outside = held.filter((address) => {
        const n = ipToInt(address)
        return n <= range.server || n >= range.broadcast
      })
      if (outside.length > 0) {
        throw new VpnError(
          'addressRange',
          `${outside.length} device(s) hold addresses outside ${range.cidr}: revoke them first`,
          `Urządzenia z adresami spoza zakresu ${range.cidr}: ${outside.length}. Najpierw je odwołaj.`
        )
      }
      const values = {
        interface_name: interfaceName,
        address_range: range.cidr,
        listen_port: input.listenPort,
        endpoint,
        dns,
        server_public_key: await this.readServerPublicKey(),
        updated_at: nowText(),
      }
      const exists = await trx.from('appliance_vpn_settings').where('id', 1).first()
      if (exists) await trx.from('appliance_vpn_settings').where('id', 1).update(values)
      else
        await trx
          .table('appliance_vpn_settings')
          .insert({ id: 1, ...values, created_at: nowText() })
      await auditLog.record(
        {
          actor,
          ip,
          action: 'vpn.settings',
          subjectType: 'vpn',
          subjectId: 1,
          details: {
            interfaceName,
            addressRange: range.cidr,
            listenPort: input.listenPort,
            endpoint,
            dns,
          },
        },
        trx
      )
      return this.settings(trx)
    })
    staffZone.invalidate()
    await this.writePeersFile()
    return result
  }

  async #heldAddresses(client: TransactionClientContract | typeof db): Promise<string[]> {
    const rows = await client.from('appliance_vpn_peers').whereNull('revoked_at').select('address')
    return rows.map((row: { address: string }) => row.address)
  }

  /**
   * A new peer for a clerk's device: a fresh key pair, the next free address,
   * the row and its audit entry in one transaction, then the peers file. The
   * returned configuration is the only copy of the private key.
   */
  async addPeer(
    input: { login: string; deviceName: string; expiresAt?: string | null },
    actor: AuditActor,
    ip: string | null = null
  ): Promise<NewPeer> {
    const deviceName = input.deviceName.trim()
    if (!DEVICE_PATTERN.test(deviceName)) {
      throw new VpnError(
        'deviceName',
        'the device name must be 1–60 letters, digits, spaces or . _ ( ) -',
        'Podaj nazwę urządzenia: 1–60 liter, cyfr, spacji lub znaków . _ ( ) -.'
      )
    }
    const expiresAt = input.expiresAt?.trim() || null
    if (expiresAt !== null) {
      if (parseIsoDate(expiresAt) === null) {
        throw new VpnError(
          'expiresAt',
          `"${expiresAt}" is not a date YYYY-MM-DD`,
          'Podaj datę ważności w formacie RRRR-MM-DD.'
        )
      }
      if (expiresAt < todayInWarsaw())
        throw new VpnError(
          'expiresAt',
          'the expiry date is in the past',
          'Data ważności nie może być w przeszłości.'
        )
    }
    const { peer, config } = await db.transaction(async (trx) => {
      const staff = await trx.from('staff_users').where('login', input.login.trim()).first()
      if (!staff)
        throw new VpnError(
          'login',
          `no staff member with login "${input.login}"`,
          'Wybierz pracownika.'
        )
      if (!staff.is_active)
        throw new VpnError(
          'login',
          `the account "${input.login}" is disabled`,
          'Konto tego pracownika jest wyłączone.'
        )
      let settings = await this.settings(trx)
      if (!settings.serverPublicKey) {
        throw new VpnError(
          'serverPublicKey',
          `the server public key is unknown: ${this.options.serverKeyFile} is missing (run 'ratusz install')`,
          'Serwer nie ma jeszcze klucza VPN: uruchom „ratusz install” w konsoli serwera.'
        )
      }
      if (!settings.saved) {
        /* The first peer fixes the installer's values as the saved settings. */
        const now = nowText()
        await trx.table('appliance_vpn_settings').insert({
          id: 1,
          interface_name: settings.interfaceName,
          address_range: parseRange(settings.addressRange).cidr,
          listen_port: settings.listenPort,
          endpoint: settings.endpoint,
          dns: null,
          server_public_key: settings.serverPublicKey,
          created_at: now,
          updated_at: now,
        })
        settings = await this.settings(trx)
      }
      if (!settings.endpoint) {
        throw new VpnError(
          'endpoint',
          'the public endpoint is not set (VPN settings or RATUSZ_VPN_ENDPOINT)',
          'Najpierw ustaw adres publiczny serwera VPN.'
        )
      }
      const range = parseRange(settings.addressRange)
      const address = allocateAddress(range, await this.#heldAddresses(trx))
      const keys = generateKeyPair()
      const now = nowText()
      const [inserted] = await trx
        .table('appliance_vpn_peers')
        .insert({
          staff_user_id: staff.id,
          device_name: deviceName,
          public_key: keys.publicKey,
          address,
          expires_at: expiresAt,
          created_by: actor.id,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
      const id = Number(typeof inserted === 'object' ? inserted.id : inserted)
      await auditLog.record(
        {
          actor,
          ip,
          action: 'vpn.peer.add',
          subjectType: 'vpn_peer',
          subjectId: id,
          details: {
            login: staff.login,
            deviceName,
            address,
            publicKey: keys.publicKey,
            expiresAt,
          },
        },
        trx
      )
      return {
        peer: (await this.peer(id, trx))!,
        config: this.#configFor(address, keys.privateKey, settings),
      }
    })
    /* The first device may have saved the settings: the VPN range joins the staff zone. */
    staffZone.invalidate()
    await this.writePeersFile()
    return { peer, config }
  }

  #configFor(address: string, privateKey: string, settings: VpnSettings): string {
    return clientConfig({
      privateKey,
      address,
      dns: settings.dns,
      serverPublicKey: settings.serverPublicKey!,
      endpoint: settings.endpoint,
      allowedIps: clientAllowedIps(
        this.options.officeNetworks,
        parseRange(settings.addressRange).cidr
      ),
    })
  }

  /**
   * The one download of a new peer's configuration file. The private key comes back
   * from the administrator's browser (the page that showed the QR code; it was never
   * stored); the file is made only when the key belongs to this peer and nothing was
   * downloaded yet.
   */
  async takeConfigDownload(
    id: number,
    privateKey: string,
    actor: AuditActor,
    ip: string | null = null
  ): Promise<NewPeer> {
    let publicKey: string | null = null
    try {
      publicKey = publicKeyOf(privateKey)
    } catch {
      publicKey = null
    }
    return db.transaction(async (trx) => {
      const peer = await this.peer(id, trx)
      if (!peer) throw new VpnError('id', `no VPN device ${id}`, 'Nie ma takiego urządzenia.')
      if (publicKey !== peer.publicKey)
        throw new VpnError(
          'config',
          'the configuration does not belong to this device',
          'Ta konfiguracja nie należy do tego urządzenia.'
        )
      if (peer.state !== 'active')
        throw new VpnError(
          'id',
          `the device is ${peer.state}`,
          'Urządzenie jest odwołane albo wygasło.'
        )
      const updated = await trx
        .from('appliance_vpn_peers')
        .where('id', id)
        .whereNull('config_downloaded_at')
        .update({ config_downloaded_at: nowText(), updated_at: nowText() })
      if (Number(Array.isArray(updated) ? updated[0] : updated) !== 1) {
        throw new VpnError(
          'config',
          'the configuration was already downloaded; add a new device instead',
          'Konfigurację już pobrano. Jeśli plik zginął, odwołaj urządzenie i dodaj je ponownie.'
        )
      }
      await auditLog.record(
        {
          actor,
          ip,
          action: 'vpn.peer.download',
          subjectType: 'vpn_peer',
          subjectId: id,
          details: { deviceName: peer.deviceName },
        },
        trx
      )
      const settings = await this.settings(trx)
      return {
        peer: (await this.peer(id, trx))!,
        config: this.#configFor(peer.address, privateKey, settings),
      }
    })
  }

  async revokePeer(id: number, actor: AuditActor, ip: string | null = null): Promise<VpnPeer> {
    const peer = await db.transaction(async (trx) => {
      const current = await this.peer(id, trx)
      if (!current) throw new VpnError('id', `no VPN device ${id}`, 'Nie ma takiego urządzenia.')
      if (current.revokedAt)
        throw new VpnError(
          'id',
          `device ${id} is already revoked`,
          'To urządzenie jest już odwołane.'
        )
      await trx
        .from('appliance_vpn_peers')
        .where('id', id)
        .update({ revoked_at: nowText(), updated_at: nowText() })
      await auditLog.record(
        {
          actor,
          ip,
          action: 'vpn.peer.revoke',
          subjectType: 'vpn_peer',
          subjectId: id,
          details: {
            login: current.login,
            deviceName: current.deviceName,
            address: current.address,
          },
        },
        trx
      )
      return (await this.peer(id, trx))!
    })
    await this.writePeersFile()
    return peer
  }

  #query(client: TransactionClientContract | typeof db) {
    return client
      .from('appliance_vpn_peers as p')
      .join('staff_users as s', 's.id', 'p.staff_user_id')
      .select('p.*', 's.login', 's.full_name', 's.is_active')
  }

  #toPeer(row: Record<string, unknown>, today: string): VpnPeer {
    const expiresAt = (row.expires_at as string | null) ?? null
    const revokedAt = timeText(row.revoked_at)
    return {
      id: Number(row.id),
      staffUserId: Number(row.staff_user_id),
      login: String(row.login),
      fullName: String(row.full_name),
      deviceName: String(row.device_name),
      publicKey: String(row.public_key),
      address: String(row.address),
      expiresAt,
      revokedAt,
      configDownloadedAt: timeText(row.config_downloaded_at),
      createdAt: timeText(row.created_at)!,
      state: revokedAt
        ? 'revoked'
        : expiresAt !== null && expiresAt < today
          ? 'expired'
          : !row.is_active
            ? 'disabled'
            : 'active',
    }
  }

  async peer(
    id: number,
    client: TransactionClientContract | typeof db = db
  ): Promise<VpnPeer | null> {
    const row = await this.#query(client).where('p.id', id).first()
    return row ? this.#toPeer(row, todayInWarsaw()) : null
  }

  async peers(client: TransactionClientContract | typeof db = db): Promise<VpnPeer[]> {
    const rows = await this.#query(client).orderBy('p.id')
    const today = todayInWarsaw()
    return rows.map((row: Record<string, unknown>) => this.#toPeer(row, today))
  }

  /**
   * Rewrites the peers file from the database (active peers only: an expired peer
   * drops out the next time anything is applied, and `vpn:apply` runs daily), then
   * checks that the file is 0600 and its folder 0700 whatever the umask was.
   */
  async writePeersFile(): Promise<{ path: string; peers: number }> {
    const all = await this.peers()
    const active = all.filter((peer) => peer.state === 'active')
    const path = this.options.peersFile
    const dir = dirname(path)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await fixMode(dir, 0o700)
    const text = peersFileText(active)
    const current = await readFile(path, 'utf8').catch(() => null)
    /* Unchanged content is not rewritten: every rewrite wakes the root helper. */
    if (current !== text) {
      const temp = `${path}.${process.pid}.tmp`
      await writeFile(temp, text, { mode: 0o600 })
      await chmod(temp, 0o600)
      /* rename() is atomic: the helper never reads half a file, and the .path unit sees the move. */
      await rename(temp, path)
    } else {
      await fixMode(path, 0o600)
    }
    const [fileMode, dirMode] = await Promise.all([stat(path), stat(dir)])
    if ((fileMode.mode & 0o777) !== 0o600 || (dirMode.mode & 0o777) !== 0o700) {
      throw new Error(
        `${path} must be 0600 in a 0700 folder; found ${(fileMode.mode & 0o777).toString(8)} in ${(dirMode.mode & 0o777).toString(8)}`
      )
    }
    return { path, peers: active.length }
  }

  /** The VPN range for the staff zone, once the VPN has been set up (settings saved). */
  async zoneRange(): Promise<string | null> {
    const row = await db
      .from('appliance_vpn_settings')
      .where('id', 1)
      .select('address_range')
      .first()
    return row ? String(row.address_range) : null
  }

  async liveStatus(): Promise<LiveStatus> {
    const settings = await this.settings()
    return wgShowDump(settings.interfaceName)
  }
}

const vpnService = new VpnService({
  serverKeyFile: applianceConfig.vpn.serverKeyFile,
  peersFile: applianceConfig.vpn.peersFile,
  officeNetworks: applianceConfig.vpn.officeNetworks || ratuszConfig.staffNetworks,
  defaults: {
    iface: applianceConfig.vpn.iface,
    range: applianceConfig.vpn.range,
    port: applianceConfig.vpn.port,
    endpoint: applianceConfig.vpn.endpoint,
  },
})

export default vpnService

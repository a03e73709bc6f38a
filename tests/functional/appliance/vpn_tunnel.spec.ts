/*
 * A real WireGuard tunnel between two network namespaces joined by a veth pair,
 * each running wireguard-go (userspace: the kernel module is absent), configured
 * with what Ratusz generates: the server's peers by the real root helper
 * (appliance/libexec/ratusz-wg-apply, `wg syncconf`), the clerk's side from the
 * client configuration handed out once, and the application itself serving in the
 * server's namespace. Needs root and `ip netns` (CI has both).
 */
import { test } from '@japa/runner'
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chown, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import staffZone from '#core/services/staff_zone'
import vpnService, { generateKeyPair, parseDump } from '#appliance/services/vpn'
import { lastAuditId, makeStaff, removeCommittedAuditEntries } from '#tests/helpers'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const NODE = join(ROOT, 'node_modules', '.bin', 'node')
const HELPER = join(ROOT, 'appliance', 'libexec', 'ratusz-wg-apply')
/* Stands in for the ratusz service user: not root, owns the peers file. */
const NOBODY = 65534

function netnsUnavailable(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces'
  const probe = `rzprobe${process.pid}`
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' })
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' })
  } catch (error) {
    return `'ip netns' is not possible here: ${(error as Error).message.split('\n')[0]}`
  }
  return false
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { timeout: 15_000, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`))
        else resolve(stdout)
      }
    )
  })
}

const inNs = (ns: string, command: string, ...args: string[]) =>
  run('ip', ['netns', 'exec', ns, command, ...args])

/** One HTTP GET from inside a namespace: the status code, or 'no answer' when nothing comes back in time. */
function fetchFrom(ns: string, url: string, timeoutMs: number): Promise<string> {
  const script = `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(${timeoutMs}) })
    .then((r) => console.log(r.status), () => console.log('no answer'))`
  return inNs(ns, NODE, '-e', script).then((out) => out.trim())
}

test.group('Appliance / VPN tunnel', (group) => {
  /* Committed, not in a test transaction: the application process must see the rows. */
  group.each.teardown(async () => {
    await db.from('appliance_vpn_peers').delete()
    await db.from('appliance_vpn_settings').delete()
    await db.from('staff_users').where('login', 'zdalny1').delete()
    staffZone.invalidate()
  })

  const unavailable = netnsUnavailable()

  test('a clerk reaches the staff login through the tunnel only, and not at all once revoked', async ({
    assert,
  }) => {
    const id = process.pid % 100_000
    const serverNs = `rzs${id}`
    const clientNs = `rzc${id}`
    const vethServer = `rzvs${id}`
    const vethClient = `rzvc${id}`
    /* Interface names must be unique across namespaces too: wireguard-go's control socket is a file. */
    const wgServer = `rzws${id}`
    const wgClient = `rzwc${id}`
    const octet = (id % 200) + 20
    const lanServer = `198.18.${octet}.1`
    const lanClient = `198.18.${octet}.2`
    const vpnRange = `10.${(id % 200) + 20}.0.0/24`
    const vpnServer = vpnRange.replace('.0/24', '.1')
    const httpPort = 8080
    const wgPort = 51820
    const children: ChildProcess[] = []
    const work = await mkdtemp(join(tmpdir(), 'ratusz-vpn-'))
    let auditBefore: number | null = null

    try {
      /* Two namespaces and the "LAN" between them. */
      await run('ip', ['netns', 'add', serverNs])
      await run('ip', ['netns', 'add', clientNs])
      await run('ip', ['link', 'add', vethServer, 'type', 'veth', 'peer', 'name', vethClient])
      await run('ip', ['link', 'set', vethServer, 'netns', serverNs])
      await run('ip', ['link', 'set', vethClient, 'netns', clientNs])
      for (const [ns, veth, address] of [
        [serverNs, vethServer, lanServer],
        [clientNs, vethClient, lanClient],
      ]) {
        await inNs(ns, 'ip', 'link', 'set', 'lo', 'up')
        await inNs(ns, 'ip', 'addr', 'add', `${address}/24`, 'dev', veth)
        await inNs(ns, 'ip', 'link', 'set', veth, 'up')
      }

      /* The installer's part: the server key pair, the private half only in the interface file. */
      const serverKeys = generateKeyPair()
      await mkdir(dirname(vpnService.options.serverKeyFile), { recursive: true })
      await writeFile(vpnService.options.serverKeyFile, `${serverKeys.publicKey}\n`)
      const configDir = join(work, 'wireguard')
      await mkdir(configDir, { mode: 0o700 })
      await writeFile(
        join(configDir, `${wgServer}.conf`),
        `[Interface]\nAddress = ${vpnServer}/24\nListenPort = ${wgPort}\nPrivateKey = ${serverKeys.privateKey}\n`,
        { mode: 0o600 }
      )

      /* The administrator's part: settings and a clerk's laptop, through the service the page uses. */
      auditBefore = await lastAuditId()
      const actor = { realm: 'system' as const, id: null, label: 'tunnel test' }
      await vpnService.saveSettings(
        {
          interfaceName: wgServer,
          addressRange: vpnRange,
          listenPort: wgPort,
          endpoint: `${lanServer}:${wgPort}`,
        },
        actor
      )
      await makeStaff('zdalny1', ['clerk'])
      const { peer, config } = await vpnService.addPeer(
        { login: 'zdalny1', deviceName: 'laptop w domu' },
        actor
      )

      /* Both wireguard-go daemons, in the foreground so they end with this test. */
      const wgEnv = {
        WG_PROCESS_FOREGROUND: '1',
        WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: '1',
        LOG_LEVEL: 'error',
      }
      for (const [ns, iface] of [
        [serverNs, wgServer],
        [clientNs, wgClient],
      ]) {
        const wg = spawn('ip', ['netns', 'exec', ns, 'wireguard-go', iface], {
          env: { ...process.env, ...wgEnv },
          stdio: 'ignore',
        })
        children.push(wg)
        for (let i = 0; i < 50; i++) {
          try {
            await inNs(ns, 'wg', 'show', iface)
            break
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 100))
          }
        }
      }

      /* Server: the real root helper merges the peers file Ratusz wrote and runs `wg syncconf`. */
      /*
       * As on the server: the peers file belongs to the service user (0600 in 0700) and the
       * helper runs as root with only the capabilities its systemd unit leaves it.
       */
      const unit = await readFile(join(ROOT, 'appliance/systemd/ratusz-wg-sync.service'), 'utf8')
      const capabilities = /^CapabilityBoundingSet=(.+)$/m
        .exec(unit)![1]
        .trim()
        .split(/\s+/)
        .map((cap) => `+${cap.toLowerCase().replace(/^cap_/, '')}`)
      const peersFile = vpnService.options.peersFile
      const applyPeers = async () => {
        await chown(dirname(peersFile), NOBODY, NOBODY)
        await chown(peersFile, NOBODY, NOBODY)
        return run(
          'ip',
          [
            ...['netns', 'exec', serverNs, 'setpriv', '--inh-caps=-all'],
            `--bounding-set=-all,${capabilities.join(',')}`,
            ...[HELPER, wgServer, peersFile, '--config-dir', configDir],
          ],
          { RATUSZ_VPN_RANGE: vpnRange }
        )
      }
      await applyPeers()
      await inNs(serverNs, 'ip', 'addr', 'add', `${vpnServer}/24`, 'dev', wgServer)
      await inNs(serverNs, 'ip', 'link', 'set', wgServer, 'up')

      /* Clerk: the handed-out configuration, Address and DNS stripped as wg-quick does. */
      const clientFile = join(work, `${wgClient}.conf`)
      await writeFile(clientFile, config, { mode: 0o600 })
      const stripped = await run('wg-quick', ['strip', clientFile])
      const strippedFile = join(work, 'client-stripped.conf')
      await writeFile(strippedFile, stripped, { mode: 0o600 })
      await inNs(clientNs, 'wg', 'setconf', wgClient, strippedFile)
      await inNs(clientNs, 'ip', 'addr', 'add', `${peer.address}/32`, 'dev', wgClient)
      await inNs(clientNs, 'ip', 'link', 'set', wgClient, 'up')
      const allowed = /^AllowedIPs = (.+)$/m.exec(config)![1].split(', ')
      assert.include(allowed, vpnRange)
      for (const network of allowed) {
        await inNs(clientNs, 'ip', 'route', 'add', network, 'dev', wgClient)
      }

      /*
       * The office server: the real application (bin/server.ts, as ratusz-start runs it)
       * inside the server namespace, on this test's database, so the staff zone it applies
       * is STAFF_NETWORKS plus the VPN range it reads from the settings saved above.
       */
      if (db.connection().dialect.name === 'postgres') {
        /*
         * PostgreSQL listens on the host's loopback, which the namespace does not share;
         * its Unix socket is a file and is reachable: relay the namespace's loopback port to it.
         */
        const result = await db.rawQuery('SHOW unix_socket_directories')
        const socketDir = String(result.rows[0].unix_socket_directories).split(',')[0].trim()
        const pgPort = Number(process.env.PG_PORT ?? 5432)
        const socket = join(socketDir, `.s.PGSQL.${pgPort}`)
        const relay = `const net = require('node:net');
          net.createServer((c) => { const s = net.connect(${JSON.stringify(socket)}); c.pipe(s).pipe(c);
            s.on('error', () => c.destroy()); c.on('error', () => s.destroy()) })
            .listen(${pgPort}, '127.0.0.1')`
        children.push(
          spawn('ip', ['netns', 'exec', serverNs, NODE, '-e', relay], { stdio: 'ignore' })
        )
      }
      const app = spawn(
        'ip',
        ['netns', 'exec', serverNs, NODE, '--import=@poppinss/ts-exec', 'bin/server.ts'],
        {
          cwd: ROOT,
          env: { ...process.env, HOST: '0.0.0.0', PORT: String(httpPort), LOG_LEVEL: 'warn' },
          stdio: ['ignore', 'ignore', 'pipe'],
        }
      )
      children.push(app)
      let appErrors = ''
      app.stderr!.on('data', (chunk: Buffer) => (appErrors += chunk.toString()))
      const upUrl = `http://127.0.0.1:${httpPort}/up`
      for (let waited = 0; (await fetchFrom(serverNs, upUrl, 2000)) !== '200'; waited += 500) {
        if (app.exitCode !== null || waited > 45_000)
          throw new Error(`the app did not come up: ${appErrors}`)
        await new Promise((resolve) => setTimeout(resolve, 500))
      }

      assert.equal(await vpnService.zoneRange(), vpnRange)
      const throughTunnel = `http://${vpnServer}:${httpPort}/panel/logowanie`
      const overLan = `http://${lanServer}:${httpPort}/panel/logowanie`
      assert.equal(await fetchFrom(clientNs, throughTunnel, 10_000), '200')
      assert.equal(await fetchFrom(clientNs, overLan, 5000), '404')

      /* The live status Ratusz shows: a handshake and traffic for this peer. */
      const live = parseDump(await inNs(serverNs, 'wg', 'show', wgServer, 'dump'))
      const seen = live.peers.find((p) => p.publicKey === peer.publicKey)
      assert.isNotNull(seen?.latestHandshake ?? null)
      assert.isAbove(seen!.rxBytes, 0)
      assert.deepEqual(seen!.allowedIps, [`${peer.address}/32`])

      /* Revoked: the peers file loses it, the helper applies it, and the tunnel carries nothing. */
      await vpnService.revokePeer(peer.id, actor)
      await applyPeers()
      const after = parseDump(await inNs(serverNs, 'wg', 'show', wgServer, 'dump'))
      assert.deepEqual(after.peers, [])
      assert.equal(await fetchFrom(clientNs, throughTunnel, 4000), 'no answer')
      /* The LAN itself still works: only the tunnel is gone. */
      assert.equal(await fetchFrom(clientNs, overLan, 5000), '404')
    } finally {
      for (const child of children) child.kill('SIGTERM')
      await Promise.all(
        children.map(
          (child) =>
            new Promise((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve(null)
              child.once('exit', resolve)
              setTimeout(() => {
                child.kill('SIGKILL')
                resolve(null)
              }, 3000)
            })
        )
      )
      for (const ns of [serverNs, clientNs]) {
        await run('ip', ['netns', 'del', ns]).catch(() => {})
      }
      await run('ip', ['link', 'del', vethServer]).catch(() => {})
      await rm(work, { recursive: true, force: true })
      /* The app in the other namespace had to read committed rows: take them out again. */
      await db.from('appliance_vpn_peers').delete()
      await db.from('appliance_vpn_settings').delete()
      await db.from('staff_users').where('login', 'zdalny1').delete()
      if (auditBefore !== null) await removeCommittedAuditEntries(auditBefore)
      staffZone.invalidate()
    }
  })
    .skip(unavailable !== false, `VPN tunnel test skipped: ${unavailable}`)
    .timeout(90_000)
})

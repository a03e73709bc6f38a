import { test } from '@japa/runner'
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import StaffUser from '#core/models/staff_user'
import staffZone from '#core/services/staff_zone'
import vpnService, { generateKeyPair, publicKeyOf } from '#appliance/services/vpn'
import { auditCount, makeStaff, resetSharedState, runAce, withOffice } from '#tests/helpers'

const SERVER = generateKeyPair()
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const { serverKeyFile, peersFile } = vpnService.options

async function mode(path: string) {
  const info = await stat(path)
  return (info.mode & 0o777).toString(8)
}

async function addThroughPage(client: any, admin: StaffUser, login: string, deviceName: string) {
  const response = await client
    .post('/panel/admin/vpn/urzadzenia')
    .signedIn('staff', admin)
    .form({ login, deviceName, expiresAt: '' })
    .withCsrfToken()
    .redirects(0)
  const privateKey = /name="privateKey" value="([^"]+)"/.exec(response.text())?.[1] ?? ''
  const peerId = Number(/\/panel\/admin\/vpn\/urzadzenia\/(\d+)\/plik/.exec(response.text())?.[1])
  return { response, privateKey, peerId }
}

test.group('Appliance / VPN admin page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetSharedState())
  group.each.setup(async () => {
    await mkdir(dirname(serverKeyFile), { recursive: true })
    await writeFile(serverKeyFile, `${SERVER.publicKey}\n`)
    await rm(dirname(peersFile), { recursive: true, force: true })
  })
  /* The zone cache must not carry a rolled-back VPN range into other tests. */
  group.each.teardown(() => staffZone.invalidate())

  test('administrator only: the page in Polish with a captioned table and both forms', async ({
    client,
  }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const page = await client.get('/panel/admin/vpn').signedIn('staff', admin)
    page.assertStatus(200)
    page.assertHeader('cache-control', 'no-store')
    page.assertTextIncludes('<h1>VPN dla pracowników</h1>')
    page.assertTextIncludes('<caption>Urządzenia z dostępem: 0</caption>')
    page.assertTextIncludes('<label class="label" for="f-deviceName">Nazwa urządzenia</label>')
    page.assertTextIncludes(SERVER.publicKey)
    // The test machine has no wg0: said plainly instead of an error page.
    page.assertTextIncludes('Stan tunelu niedostępny')
    const clerk = await makeStaff('urzednik1', ['clerk'])
    const refused = await client.get('/panel/admin/vpn').signedIn('staff', clerk).redirects(0)
    refused.assertStatus(403)
  }).timeout(30_000)

  test('adding a device shows its configuration once as a QR code and one file download; nothing secret is stored', async ({
    client,
    assert,
  }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    await makeStaff('urzednik1', ['clerk'])
    const { response, privateKey, peerId } = await addThroughPage(
      client,
      admin,
      'urzednik1',
      'laptop służbowy'
    )
    response.assertStatus(200)
    response.assertHeader('cache-control', 'no-store')
    response.assertTextIncludes(
      '<svg role="img" aria-label="Kod QR z konfiguracją VPN urządzenia „laptop służbowy”'
    )
    response.assertTextIncludes('<summary>Pokaż konfigurację jako tekst</summary>')
    response.assertTextIncludes(`PrivateKey = ${privateKey}`)
    response.assertTextIncludes('Address = 10.77.0.2/32')

    const peer = await vpnService.peer(peerId)
    assert.equal(peer?.publicKey, publicKeyOf(privateKey))
    assert.equal(peer?.address, '10.77.0.2')
    // The private key is nowhere in the database (peers, settings, audit log).
    for (const table of ['appliance_vpn_peers', 'appliance_vpn_settings', 'audit_entries']) {
      const rows = await db.from(table).select('*')
      assert.notInclude(JSON.stringify(rows), privateKey, table)
    }
    assert.equal(await auditCount('vpn.peer.add', 'informatyk'), 1)

    // The peers file for the root helper: the new public key, 0600 in a 0700 folder.
    const peers = await readFile(peersFile, 'utf8')
    assert.include(peers, `PublicKey = ${peer!.publicKey}\nAllowedIPs = 10.77.0.2/32`)
    assert.notInclude(peers, privateKey)
    assert.equal(await mode(peersFile), '600')
    assert.equal(await mode(dirname(peersFile)), '700')

    const download = () =>
      client
        .post(`/panel/admin/vpn/urzadzenia/${peerId}/plik`)
        .signedIn('staff', admin)
        .form({ privateKey })
        .withCsrfToken()
        .redirects(0)
    const file = await download()
    file.assertStatus(200)
    file.assertHeader('cache-control', 'no-store')
    assert.match(
      file.header('content-disposition') ?? '',
      /^attachment; filename="ratusz-vpn-urzednik1-laptop-s.*\.conf"$/
    )
    assert.include(file.text(), `[Interface]\nPrivateKey = ${privateKey}\nAddress = 10.77.0.2/32`)
    assert.include(file.text(), `[Peer]\nPublicKey = ${SERVER.publicKey}\nEndpoint = `)
    assert.include(file.text(), 'PersistentKeepalive = 25')
    assert.equal(await auditCount('vpn.peer.download', 'informatyk'), 1)

    const again = await download()
    again.assertStatus(410)
    assert.notExists(again.header('content-disposition'))
    again.assertTextIncludes('Konfigurację już pobrano')

    // Another device's key does not open this one.
    const other = await addThroughPage(client, admin, 'urzednik1', 'telefon')
    const wrong = await client
      .post(`/panel/admin/vpn/urzadzenia/${other.peerId}/plik`)
      .signedIn('staff', admin)
      .form({ privateKey: generateKeyPair().privateKey })
      .withCsrfToken()
      .redirects(0)
    wrong.assertStatus(410)
    wrong.assertTextIncludes('Ta konfiguracja nie należy do tego urządzenia')
    const otherPeer = await vpnService.peer(other.peerId)
    assert.equal(otherPeer?.address, '10.77.0.3')
  }).timeout(30_000)

  test('revoking takes the device out of the peers file; its address is given to the next device', async ({
    client,
    assert,
  }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    await makeStaff('urzednik1', ['clerk'])
    const first = await addThroughPage(client, admin, 'urzednik1', 'laptop')
    const key = publicKeyOf(first.privateKey)
    // Someone loosened the modes by hand: the next rewrite puts them back.
    await chmod(peersFile, 0o644)
    await chmod(dirname(peersFile), 0o755)
    const revoke = await client
      .post(`/panel/admin/vpn/urzadzenia/${first.peerId}/odwolaj`)
      .signedIn('staff', admin)
      .withCsrfToken()
      .redirects(0)
    revoke.assertStatus(302)
    const revokedPeer = await vpnService.peer(first.peerId)
    assert.equal(revokedPeer?.state, 'revoked')
    assert.notInclude(await readFile(peersFile, 'utf8'), key)
    assert.equal(await mode(peersFile), '600')
    assert.equal(await mode(dirname(peersFile)), '700')
    assert.equal(await auditCount('vpn.peer.revoke', 'informatyk'), 1)

    const page = await client.get('/panel/admin/vpn').signedIn('staff', admin)
    page.assertTextIncludes('<td>Odwołane</td>')
    const second = await addThroughPage(client, admin, 'urzednik1', 'laptop nowy')
    const secondPeer = await vpnService.peer(second.peerId)
    assert.equal(secondPeer?.address, '10.77.0.2')
    // A revoked device cannot fetch its file any more.
    const late = await client
      .post(`/panel/admin/vpn/urzadzenia/${first.peerId}/plik`)
      .signedIn('staff', admin)
      .form({ privateKey: first.privateKey })
      .withCsrfToken()
      .redirects(0)
    late.assertStatus(410)
  }).timeout(30_000)

  test('a device past its expiry date drops out of the peers file on the hourly run', async ({
    client,
    assert,
  }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    await makeStaff('urzednik1', ['clerk'])
    const past = await client
      .post('/panel/admin/vpn/urzadzenia')
      .signedIn('staff', admin)
      .form({ login: 'urzednik1', deviceName: 'laptop', expiresAt: '2020-01-31' })
      .withCsrfToken()
      .redirects(0)
    past.assertStatus(422)
    past.assertTextIncludes('Data ważności nie może być w przeszłości.')

    const { peerId, privateKey } = await addThroughPage(client, admin, 'urzednik1', 'laptop')
    const key = publicKeyOf(privateKey)
    assert.include(await readFile(peersFile, 'utf8'), key)
    const before = await stat(peersFile)
    // Nothing changed: the file is not rewritten, so the root helper is not woken.
    await vpnService.writePeersFile()
    const unchanged = await stat(peersFile)
    assert.equal(unchanged.ino, before.ino)

    await db.from('appliance_vpn_peers').where('id', peerId).update({ expires_at: '2020-01-31' })
    const { schedules } = await import('#core/services/scheduler')
    const definition = schedules.definitions.get('appliance.vpn-expiry')
    assert.equal(definition?.cron, '3 * * * *')
    const { default: VpnExpiryJob } = await import('#appliance/jobs/vpn_expiry_job')
    await new VpnExpiryJob().execute()
    assert.notInclude(await readFile(peersFile, 'utf8'), key)
    assert.equal(await mode(peersFile), '600')
    const peer = await vpnService.peer(peerId)
    assert.equal(peer?.state, 'expired')

    // A clerk whose account is switched off loses the tunnel on the same run.
    const leaver = await makeStaff('urzednik2', ['clerk'])
    const second = await addThroughPage(client, admin, 'urzednik2', 'telefon')
    const secondKey = publicKeyOf(second.privateKey)
    assert.include(await readFile(peersFile, 'utf8'), secondKey)
    leaver.isActive = false
    await leaver.save()
    await new VpnExpiryJob().execute()
    assert.notInclude(await readFile(peersFile, 'utf8'), secondKey)
    const disabled = await vpnService.peer(second.peerId)
    assert.equal(disabled?.state, 'disabled')
    const page = await client.get('/panel/admin/vpn').signedIn('staff', admin)
    page.assertTextIncludes('<td>Konto pracownika wyłączone</td>')
    page.assertTextIncludes('<td>Wygasło</td>')
  }).timeout(30_000)

  test('settings: errors name the field in Polish; the saved VPN range joins the staff zone', async ({
    client,
    assert,
  }) => {
    await withOffice()
    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const save = (form: Record<string, string>) =>
      client
        .post('/panel/admin/vpn/ustawienia')
        .signedIn('staff', admin)
        .form({
          interfaceName: 'wg0',
          listenPort: '51820',
          endpoint: 'urzad.example.pl:51820',
          dns: '',
          ...form,
        })
        .withCsrfToken()
        .redirects(0)
    const bad = await save({ addressRange: '10.77.0.5/24' })
    bad.assertStatus(422)
    bad.assertTextIncludes('Zakres musi zaczynać się od adresu sieci: 10.77.0.0/24.')
    bad.assertTextIncludes('href="#f-addressRange"')
    for (const notPrivate of ['127.0.0.0/24', '8.8.8.0/24']) {
      const refused = await save({ addressRange: notPrivate })
      refused.assertStatus(422)
      refused.assertTextIncludes('Zakres musi leżeć w puli adresów prywatnych')
    }
    const badPort = await save({ addressRange: '10.66.0.0/24', listenPort: 'dużo' })
    badPort.assertStatus(422)
    badPort.assertTextIncludes('Podaj port od 1 do 65535.')

    // A clerk at home on the VPN (behind the trusted local proxy): not staff until the VPN is set up.
    const viaVpn = () =>
      client.get('/panel/logowanie').header('X-Forwarded-For', '10.66.0.7').redirects(0)
    const before = await viaVpn()
    before.assertStatus(404)
    const saved = await save({ addressRange: '10.66.0.0/24' })
    saved.assertStatus(302)
    const after = await viaVpn()
    after.assertStatus(200)
    const outside = await client
      .get('/panel/logowanie')
      .header('X-Forwarded-For', '10.67.0.7')
      .redirects(0)
    outside.assertStatus(404)
    assert.equal(await auditCount('vpn.settings', 'informatyk'), 1)
    const settings = await vpnService.settings()
    assert.equal(settings.addressRange, '10.66.0.0/24')
  }).timeout(30_000)
})

/*
 * ./ace runs in its own process and commits what it writes (audit entries
 * included, which nothing may delete): it gets a SQLite database of its own.
 */
test.group('Appliance / VPN console commands', () => {
  test('vpn:add prints the configuration once, vpn:list and vpn:status show the peer, vpn:revoke removes it', async ({
    assert,
  }) => {
    const dataDir = `tmp/vpn-cli-${randomBytes(6).toString('hex')}`
    const cliPeersFile = `${PROJECT_ROOT}${dataDir}/vpn/peers.conf`
    const cliKeyFile = `${PROJECT_ROOT}${dataDir}-keys/wg-server.pub`
    const env = {
      NODE_ENV: 'test',
      RATUSZ_DATA: dataDir,
      DB_CONNECTION: 'sqlite',
      RATUSZ_VPN_PEERS_FILE: cliPeersFile,
      RATUSZ_VPN_SERVER_KEY_FILE: cliKeyFile,
    }
    const connectionName = `vpn_cli_${randomBytes(4).toString('hex')}`
    try {
      const migrated = await runAce(['migration:run', '--force'], env)
      assert.equal(migrated.exitCode, 0, migrated.stderr + migrated.stdout)
      await mkdir(dirname(cliKeyFile), { recursive: true })
      await writeFile(cliKeyFile, `${SERVER.publicKey}\n`)

      /* A connection of our own to the subprocess's database file. */
      const base = db.manager.get('sqlite')!.config as any
      db.manager.add(connectionName, {
        ...base,
        connection: { filename: `${PROJECT_ROOT}${dataDir}/ratusz.sqlite3` },
      })
      const client = db.connection(connectionName)
      await StaffUser.create(
        {
          login: 'urzednik9',
          fullName: 'Test urzednik9',
          email: 'urzednik9@testowa.localhost',
          roles: ['clerk'],
          unit: 'OR',
          password: 'zielona łąka nad Wisłą',
          isActive: true,
        },
        { connection: connectionName }
      )
      const created = await client.from('staff_users').where('login', 'urzednik9')
      assert.lengthOf(created, 1)

      const refused = await runAce(['vpn:add', '--staff', 'nikt', '--device', 'laptop'], env)
      assert.equal(refused.exitCode, 1)
      assert.include(refused.stderr, 'no staff member with login "nikt"')

      const added = await runAce(
        [
          'vpn:add',
          '--staff',
          'urzednik9',
          '--device',
          'laptop',
          '--expires',
          '2099-12-31',
          '--qr',
        ],
        env
      )
      assert.equal(added.exitCode, 0, added.stderr)
      const privateKey = /^PrivateKey = (\S+)$/m.exec(added.stdout)?.[1] ?? ''
      assert.include(added.stdout, 'Address = 10.77.0.2/32')
      assert.include(added.stdout, `PublicKey = ${SERVER.publicKey}`)
      assert.include(added.stdout, '█', 'the terminal QR code')
      assert.notInclude(added.stderr, privateKey)
      const peer = await client.from('appliance_vpn_peers').firstOrFail()
      assert.equal(peer.public_key, publicKeyOf(privateKey))
      assert.equal(peer.expires_at, '2099-12-31')

      const list = await runAce(['vpn:list'], env)
      assert.match(
        list.stdout,
        new RegExp(`^\\s*${peer.id}  active\\s+10\\.77\\.0\\.2\\s+urzednik9\\s+laptop`, 'm')
      )

      const dumpFile = `${cliPeersFile}.dump-test`
      await writeFile(
        dumpFile,
        `cHJpdmF0ZQ==\t${SERVER.publicKey}\t51820\toff\n${peer.public_key}\t(none)\t192.0.2.9:5555\t10.77.0.2/32\t${Math.floor(Date.now() / 1000) - 30}\t2048\t1024\t25\n`
      )
      const status = await runAce(['vpn:status', '--dump', dumpFile], env)
      await rm(dumpFile)
      assert.equal(status.exitCode, 0, status.stderr)
      assert.match(
        status.stdout,
        /10\.77\.0\.2\/32\s+\d+ urzednik9\/laptop\s+handshake 3\d s ago\s+rx 2048 B\s+tx 1024 B/
      )

      const revoked = await runAce(['vpn:revoke', String(peer.id)], env)
      assert.equal(revoked.exitCode, 0, revoked.stderr)
      assert.notInclude(await readFile(cliPeersFile, 'utf8'), peer.public_key)
      const twice = await runAce(['vpn:revoke', String(peer.id)], env)
      assert.equal(twice.exitCode, 1)
      const applied = await runAce(['vpn:apply'], env)
      assert.include(applied.stdout, `0 active peer(s) written to ${cliPeersFile}`)
    } finally {
      if (db.manager.has(connectionName)) await db.manager.release(connectionName)
      await rm(`${PROJECT_ROOT}${dataDir}`, { recursive: true, force: true })
      await rm(`${PROJECT_ROOT}${dataDir}-keys`, { recursive: true, force: true })
    }
  })
    .skip(process.env.DB_CONNECTION === 'pg', 'the subprocess needs its own SQLite database')
    .timeout(120_000)
})

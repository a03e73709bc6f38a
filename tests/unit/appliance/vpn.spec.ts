import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { StaffZone } from '#core/services/network_zones'
import {
  VpnError,
  allocateAddress,
  clientAllowedIps,
  clientConfig,
  generateKeyPair,
  intToIp,
  isWireGuardKey,
  parseDump,
  parseRange,
  peersFileText,
  publicKeyOf,
} from '#appliance/services/vpn'

test.group('VPN / keys', () => {
  test('key pairs are raw 32-byte X25519 keys in base64, as WireGuard writes them', ({
    assert,
  }) => {
    const a = generateKeyPair()
    const b = generateKeyPair()
    for (const key of [a.privateKey, a.publicKey]) {
      assert.isTrue(isWireGuardKey(key), key)
      assert.lengthOf(Buffer.from(key, 'base64'), 32)
    }
    assert.notEqual(a.privateKey, b.privateKey)
    assert.equal(publicKeyOf(a.privateKey), a.publicKey)
    assert.isFalse(isWireGuardKey(`${a.publicKey}\nAllowedIPs = 0.0.0.0/0`))
    assert.isFalse(isWireGuardKey('A'.repeat(43)))
  })

  test('the public key matches `wg pubkey`', ({ assert }) => {
    const { privateKey, publicKey } = generateKeyPair()
    const fromWg = execFileSync('wg', ['pubkey'], { input: `${privateKey}\n` })
      .toString()
      .trim()
    assert.equal(publicKey, fromWg)
    /* And the other way round: a key made by `wg genkey` gives the same public key here. */
    const wgPrivate = execFileSync('wg', ['genkey']).toString().trim()
    const wgPublic = execFileSync('wg', ['pubkey'], { input: `${wgPrivate}\n` })
      .toString()
      .trim()
    assert.equal(publicKeyOf(wgPrivate), wgPublic)
  }).skip(!existsSync('/usr/bin/wg'), 'wireguard-tools (wg) is not installed')
})

test.group('VPN / addresses', () => {
  test('ranges are checked and give network, server and broadcast', ({ assert }) => {
    const range = parseRange('10.77.0.0/24')
    assert.equal(intToIp(range.network), '10.77.0.0')
    assert.equal(intToIp(range.server), '10.77.0.1')
    assert.equal(intToIp(range.broadcast), '10.77.0.255')
    for (const bad of [
      '10.77.0.0',
      '10.77.0.0/8',
      '10.77.0.0/31',
      '10.77.0.5/24',
      '300.1.1.0/24',
      'fd00::/64',
    ]) {
      assert.throws(() => parseRange(bad), VpnError)
    }
  })

  test('only private ranges: loopback, link-local and public ranges are refused', ({ assert }) => {
    for (const good of ['10.0.0.0/16', '172.16.0.0/24', '172.31.255.0/24', '192.168.100.0/24']) {
      assert.equal(parseRange(good).cidr, good)
    }
    for (const bad of [
      '127.0.0.0/16',
      '169.254.0.0/16',
      '8.8.8.0/24',
      '172.32.0.0/24',
      '172.15.255.0/24',
      '192.169.0.0/24',
      '11.0.0.0/16',
    ]) {
      assert.throws(() => parseRange(bad), VpnError, /not inside a private range/, bad)
    }
  })

  test('allocation skips network, server and broadcast, reuses freed addresses and refuses when full', ({
    assert,
  }) => {
    const range = parseRange('10.9.0.0/29') // hosts .1 (server) to .6
    assert.equal(allocateAddress(range, []), '10.9.0.2')
    const held = ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5']
    assert.equal(allocateAddress(range, held), '10.9.0.6')
    /* A revoked peer's address is not in the held list any more: it is the next one given. */
    assert.equal(
      allocateAddress(range, ['10.9.0.2', '10.9.0.4', '10.9.0.5', '10.9.0.6']),
      '10.9.0.3'
    )
    const error = assert.throws(
      () => allocateAddress(range, [...held, '10.9.0.6']),
      VpnError
    ) as unknown
    assert.instanceOf(error, VpnError)
  })

  test('a full /30 has one client address', ({ assert }) => {
    const range = parseRange('10.9.0.4/30')
    assert.equal(allocateAddress(range, []), '10.9.0.6')
    assert.throws(() => allocateAddress(range, ['10.9.0.6']), /no free address/)
  })
})

test.group('VPN / configuration text', () => {
  test('the client configuration routes the office LAN and the VPN range, with keepalive', ({
    assert,
  }) => {
    const keys = generateKeyPair()
    const server = generateKeyPair()
    const allowed = clientAllowedIps(
      '127.0.0.0/8,::1/128,192.168.10.0/24,fd00::/8,10.77.0.0/24',
      '10.77.0.0/24'
    )
    assert.deepEqual(allowed, ['192.168.10.0/24', '10.77.0.0/24'])
    assert.deepEqual(clientAllowedIps('0.0.0.0/0,192.168.1.5', '10.8.0.0/24'), [
      '192.168.1.5/32',
      '10.8.0.0/24',
    ])
    const text = clientConfig({
      privateKey: keys.privateKey,
      address: '10.77.0.2',
      dns: '192.168.10.1',
      serverPublicKey: server.publicKey,
      endpoint: 'urzad.example.pl:51820',
      allowedIps: allowed,
    })
    assert.equal(
      text,
      [
        '[Interface]',
        `PrivateKey = ${keys.privateKey}`,
        'Address = 10.77.0.2/32',
        'DNS = 192.168.10.1',
        '',
        '[Peer]',
        `PublicKey = ${server.publicKey}`,
        'Endpoint = urzad.example.pl:51820',
        'AllowedIPs = 192.168.10.0/24, 10.77.0.0/24',
        'PersistentKeepalive = 25',
        '',
      ].join('\n')
    )
    assert.notInclude(
      clientConfig({
        privateKey: keys.privateKey,
        address: '10.77.0.2',
        serverPublicKey: server.publicKey,
        endpoint: 'a:1',
        allowedIps: ['10.77.0.0/24'],
      }),
      'DNS'
    )
  })

  test('the peers file holds public keys and /32s only (what ratusz-wg-apply accepts)', ({
    assert,
  }) => {
    const a = generateKeyPair()
    const text = peersFileText([{ id: 3, publicKey: a.publicKey, address: '10.77.0.2' }])
    assert.include(text, `[Peer]\nPublicKey = ${a.publicKey}\nAllowedIPs = 10.77.0.2/32\n`)
    assert.notInclude(text, a.privateKey)
    for (const line of text.split('\n')) {
      assert.match(line, /^(|#.*|\[Peer\]|PublicKey = \S+|AllowedIPs = [\d.]+\/32)$/)
    }
  })
})

test.group('VPN / wg show dump', () => {
  const dump = [
    'cHJpdmF0ZS1rZXktbmV2ZXIta2VwdC1ieS1yYXR1c3otMDA=\tc2VydmVyLXB1YmxpYy1rZXktMDAwMDAwMDAwMDAwMDA=\t51820\toff',
    'cGVlci1vbmUtcHVibGljLWtleS0wMDAwMDAwMDAwMDA=\t(none)\t203.0.113.7:40404\t10.77.0.2/32\t1764000000\t123456\t7890\t25',
    'cGVlci10d28tcHVibGljLWtleS0wMDAwMDAwMDAwMDA=\t(none)\t(none)\t10.77.0.3/32\t0\t0\t0\toff',
    '',
  ].join('\n')

  test('peers with last handshake and transfer; the private key is not kept', ({ assert }) => {
    const status = parseDump(dump)
    assert.equal(status.listenPort, 51820)
    assert.notInclude(JSON.stringify(status), 'cHJpdmF0ZS1rZXkt')
    assert.deepEqual(status.peers[0], {
      publicKey: 'cGVlci1vbmUtcHVibGljLWtleS0wMDAwMDAwMDAwMDA=',
      endpoint: '203.0.113.7:40404',
      allowedIps: ['10.77.0.2/32'],
      latestHandshake: 1764000000,
      rxBytes: 123456,
      txBytes: 7890,
    })
    assert.isNull(status.peers[1].latestHandshake)
    assert.isNull(status.peers[1].endpoint)
  })

  test('garbage is refused, not half-read', ({ assert }) => {
    assert.throws(() => parseDump(''), /empty/)
    assert.throws(() => parseDump('Unable to access interface: No such device'), /interface line/)
    assert.throws(() => parseDump(`${dump.split('\n')[0]}\nbroken\tline`), /peer line/)
  })
})

test.group('Staff zone with the VPN range', () => {
  test('LAN addresses pass without loading; the VPN range comes from its source and is cached', async ({
    assert,
  }) => {
    let clock = 0
    let loads = 0
    let range: string | null = '10.77.0.0/24'
    const zone = new StaffZone('192.168.1.0/24,::1/128', 60_000, () => clock)
    assert.isFalse(await zone.contains('10.77.0.2'))
    zone.addSource('vpn', async () => {
      loads++
      return range
    })
    assert.isTrue(await zone.contains('192.168.1.20'))
    assert.equal(loads, 0)
    assert.isTrue(await zone.contains('10.77.0.2'))
    assert.isTrue(await zone.contains('::ffff:10.77.0.9'))
    assert.isFalse(await zone.contains('10.78.0.2'))
    assert.isFalse(await zone.contains('203.0.113.5'))
    assert.equal(loads, 1)

    /* Changed in the database: the cache holds until told or until the TTL passes. */
    range = '10.88.0.0/24'
    assert.isFalse(await zone.contains('10.88.0.2'))
    zone.invalidate()
    assert.isTrue(await zone.contains('10.88.0.2'))
    assert.isFalse(await zone.contains('10.77.0.2'))
    assert.equal(loads, 2)
    range = null
    clock += 60_000
    assert.isFalse(await zone.contains('10.88.0.2'))
    assert.equal(loads, 3)
  })

  test('concurrent requests share one load; a failing source keeps the last good range', async ({
    assert,
  }) => {
    let clock = 0
    let loads = 0
    let fail = false
    const zone = new StaffZone('127.0.0.0/8', 1000, () => clock)
    zone.addSource('vpn', async () => {
      loads++
      await new Promise((resolve) => setTimeout(resolve, 10))
      if (fail) throw new Error('database down')
      return '10.77.0.0/24'
    })
    const answers = await Promise.all([1, 2, 3, 4].map(() => zone.contains('10.77.0.4')))
    assert.deepEqual(answers, [true, true, true, true])
    assert.equal(loads, 1)
    fail = true
    clock += 1000
    assert.isTrue(await zone.contains('10.77.0.4'))
    assert.isFalse(await zone.contains(undefined))
  })
})

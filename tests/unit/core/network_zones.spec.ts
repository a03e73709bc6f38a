import { test } from '@japa/runner'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import app from '@adonisjs/core/services/app'
import { RequestFactory } from '@adonisjs/core/factories/http'
import {
  InvalidNetworkError,
  NetworkSet,
  normalizeAddress,
  trustedProxyPredicate,
} from '#core/services/network_zones'

/** An incoming request as Node would hand it over: the peer address comes from the TCP socket. */
function incoming(peer: string, headers: Record<string, string> = {}) {
  const socket = new Socket()
  Object.defineProperty(socket, 'remoteAddress', { value: peer })
  const req = new IncomingMessage(socket)
  req.method = 'GET'
  req.url = '/panel'
  req.headers = { host: 'ratusz.testowa.localhost', ...headers }
  return { req, res: new ServerResponse(req) }
}

test.group('Network zones / NetworkSet', () => {
  test('matches IPv4 networks of the office LAN and VPN', ({ assert }) => {
    const office = new NetworkSet('192.168.10.0/24, 10.8.0.0/16')
    assert.isTrue(office.contains('192.168.10.1'))
    assert.isTrue(office.contains('192.168.10.254'))
    assert.isTrue(office.contains('10.8.200.17'))
    assert.isFalse(office.contains('192.168.11.1'))
    assert.isFalse(office.contains('10.9.0.1'))
    assert.isFalse(office.contains('203.0.113.7'))
  })

  test('a bare address counts as one host', ({ assert }) => {
    const single = new NetworkSet('83.12.44.201')
    assert.deepEqual(single.entries, ['83.12.44.201'])
    assert.isTrue(single.contains('83.12.44.201'))
    assert.isFalse(single.contains('83.12.44.202'))
  })

  test('matches IPv6 networks and the loopback', ({ assert }) => {
    const office = new NetworkSet('fd00:1234::/48,::1/128')
    assert.isTrue(office.contains('fd00:1234::1'))
    assert.isTrue(office.contains('fd00:1234:0:ffff::42'))
    assert.isTrue(office.contains('::1'))
    assert.isTrue(office.contains('FD00:1234::ABCD'))
    assert.isFalse(office.contains('fd00:1235::1'))
    assert.isFalse(office.contains('2001:db8::1'))
  })

  test('IPv4-mapped IPv6 addresses match their IPv4 network', ({ assert }) => {
    assert.equal(normalizeAddress('::ffff:10.0.0.5'), '10.0.0.5')
    assert.equal(normalizeAddress(' ::FFFF:127.0.0.1 '), '127.0.0.1')
    /* Not every ::ffff: prefix is a mapped IPv4 address. */
    assert.equal(normalizeAddress('::ffff:abcd'), '::ffff:abcd')
    const lan = new NetworkSet('10.0.0.0/8')
    assert.isTrue(lan.contains('::ffff:10.0.0.5'))
    assert.isFalse(lan.contains('::ffff:11.0.0.5'))
    assert.isTrue(new NetworkSet('127.0.0.0/8').contains('::ffff:127.0.0.1'))
  })

  test('missing or malformed addresses are never inside', ({ assert }) => {
    const all = new NetworkSet('0.0.0.0/0,::/0')
    assert.isTrue(all.contains('8.8.8.8'))
    assert.isFalse(all.contains(undefined))
    assert.isFalse(all.contains(null))
    assert.isFalse(all.contains(''))
    assert.isFalse(all.contains('nie-adres'))
    assert.isFalse(all.contains('10.0.0.5, 127.0.0.1'))
  })

  test('an empty list contains nothing', ({ assert }) => {
    const none = new NetworkSet(' , ')
    assert.deepEqual(none.entries, [])
    assert.isFalse(none.contains('127.0.0.1'))
  })

  test('a bad CIDR throws and names the entry', ({ assert }) => {
    for (const bad of [
      '192.168.1.0/33',
      'fd00::/129',
      '10.0.0.0/8a',
      '10.0.0.0/',
      '10.0.0.0/-1',
      'urzad.local',
      '300.1.1.1/8',
      '192.168.1.0/24/8',
    ]) {
      assert.throws(() => new NetworkSet(`127.0.0.0/8,${bad}`), InvalidNetworkError)
      try {
        new NetworkSet(bad)
      } catch (error) {
        assert.instanceOf(error, InvalidNetworkError)
        assert.equal((error as InvalidNetworkError).entry, bad)
        assert.include((error as Error).message, `"${bad}"`)
      }
    }
  })
})

test.group('Network zones / trusted proxies', () => {
  test('with no proxies configured nobody is trusted', ({ assert }) => {
    const trust = trustedProxyPredicate('')
    assert.isFalse(trust('127.0.0.1', 0))
    assert.isFalse(trust('10.0.0.1', 0))
  })

  test('only the configured proxy addresses are trusted', ({ assert }) => {
    const trust = trustedProxyPredicate('10.0.0.2,fd00::2')
    assert.isTrue(trust('10.0.0.2', 0))
    assert.isTrue(trust('::ffff:10.0.0.2', 0))
    assert.isTrue(trust('fd00::2', 0))
    assert.isFalse(trust('10.0.0.3', 0))
    assert.isFalse(trust('203.0.113.9', 0))
  })

  test('a spoofed X-Forwarded-For from an outside peer is ignored by the app config', ({
    assert,
  }) => {
    const trustProxy =
      app.config.get<(address: string, distance: number) => boolean>('app.http.trustProxy')
    assert.isFunction(trustProxy)
    const { req, res } = incoming('203.0.113.9', { 'x-forwarded-for': '10.0.0.5' })
    const request = new RequestFactory().merge({ req, res, config: { trustProxy } }).create()
    assert.equal(request.ip(), '203.0.113.9')
  })

  test('a configured proxy may pass on the visitor address, but only its own hop', ({ assert }) => {
    const trustProxy = trustedProxyPredicate('10.0.0.2')
    const behindProxy = incoming('10.0.0.2', { 'x-forwarded-for': '198.51.100.23' })
    assert.equal(
      new RequestFactory()
        .merge({ ...behindProxy, config: { trustProxy } })
        .create()
        .ip(),
      '198.51.100.23'
    )

    /* The visitor forged "127.0.0.1"; the proxy appended the real address, which is where trust stops. */
    const forged = incoming('10.0.0.2', { 'x-forwarded-for': '127.0.0.1, 198.51.100.23' })
    assert.equal(
      new RequestFactory()
        .merge({ ...forged, config: { trustProxy } })
        .create()
        .ip(),
      '198.51.100.23'
    )

    const direct = incoming('203.0.113.9', { 'x-forwarded-for': '10.0.0.5' })
    assert.equal(
      new RequestFactory()
        .merge({ ...direct, config: { trustProxy } })
        .create()
        .ip(),
      '203.0.113.9'
    )
  })
})

import { test } from '@japa/runner'
import totp from '#core/services/totp'

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
/* A fixed instant in the middle of a 30-second step: 2026-11-23 09:15:10 UTC. */
const NOW = Date.UTC(2026, 10, 23, 9, 15, 10)
const STEP = Math.floor(NOW / 30_000)

test.group('TOTP', () => {
  test('generates the RFC 6238 reference codes (SHA-1, 6 digits)', ({ assert }) => {
    /* RFC 6238 appendix B, secret "12345678901234567890", last 6 digits. */
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
    assert.equal(totp.generate(rfcSecret, 59_000), '287082')
    assert.equal(totp.generate(rfcSecret, 1_111_111_109_000), '081804')
    assert.equal(totp.generate(rfcSecret, 1_234_567_890_000), '005924')
  })

  test('the current code is accepted and returns its time step', ({ assert }) => {
    const code = totp.generate(SECRET, NOW)
    assert.match(code, /^\d{6}$/)
    assert.equal(totp.verify(SECRET, code, null, NOW), STEP)
    /* Authenticator apps show "123 456": the space is allowed. */
    assert.equal(totp.verify(SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, null, NOW), STEP)
  })

  test('a code works once: the same step is refused as a replay', ({ assert }) => {
    const code = totp.generate(SECRET, NOW)
    const used = totp.verify(SECRET, code, null, NOW)
    assert.equal(used, STEP)
    assert.isNull(totp.verify(SECRET, code, used, NOW))
    assert.isNull(totp.verify(SECRET, code, used, NOW + 5_000))
    /* Nor is an older code once a newer one has been used. */
    const previous = totp.generate(SECRET, NOW - 30_000)
    assert.isNull(totp.verify(SECRET, previous, used, NOW))
    /* The next step's code is still fine. */
    assert.equal(
      totp.verify(SECRET, totp.generate(SECRET, NOW + 30_000), used, NOW + 30_000),
      STEP + 1
    )
  })

  test('the adjacent step on either side is accepted (clock drift), two steps away is not', ({
    assert,
  }) => {
    assert.equal(totp.verify(SECRET, totp.generate(SECRET, NOW - 30_000), null, NOW), STEP - 1)
    assert.equal(totp.verify(SECRET, totp.generate(SECRET, NOW + 30_000), null, NOW), STEP + 1)
    const twoBack = totp.generate(SECRET, NOW - 60_000)
    const twoAhead = totp.generate(SECRET, NOW + 60_000)
    const current = totp.generate(SECRET, NOW)
    if (twoBack !== current) assert.isNull(totp.verify(SECRET, twoBack, null, NOW))
    if (twoAhead !== current) assert.isNull(totp.verify(SECRET, twoAhead, null, NOW))
  })

  test('a wrong or malformed code is refused', ({ assert }) => {
    const code = totp.generate(SECRET, NOW)
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    const near = [-1, 0, 1].map((offset) => totp.generate(SECRET, NOW + offset * 30_000))
    if (!near.includes(wrong)) assert.isNull(totp.verify(SECRET, wrong, null, NOW))
    for (const bad of [
      '',
      '12345',
      '1234567',
      'abcdef',
      `${code}0`,
      `-${code.slice(1)}`,
      `${code.slice(0, 3)}-${code.slice(3)}`,
    ]) {
      assert.isNull(totp.verify(SECRET, bad, null, NOW), bad)
    }
    /* The right code for another secret is wrong for this one. */
    const other = totp.generate('KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', NOW)
    if (!near.includes(other)) assert.isNull(totp.verify(SECRET, other, null, NOW))
  })

  test('secrets are stored encrypted with the app key', ({ assert }) => {
    const secret = totp.newSecret()
    assert.match(secret, /^[A-Z2-7]{32}$/)
    const stored = totp.encrypt(secret)
    assert.notInclude(stored, secret)
    assert.equal(totp.decrypt(stored), secret)
    const middle = Math.floor(stored.length / 2)
    const tampered =
      stored.slice(0, middle) + (stored[middle] === 'A' ? 'B' : 'A') + stored.slice(middle + 1)
    assert.isNull(totp.decrypt(tampered))
    assert.include(totp.uri(secret, 'jkowalski'), 'issuer=Ratusz')
  })
})

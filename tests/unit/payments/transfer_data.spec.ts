import { test } from '@japa/runner'
import { checkNrb } from '#core/services/identifiers'
import {
  paymentQrPng,
  paymentQrSvg,
  paymentQrText,
  virtualAccountNumber,
} from '#payments/services/transfer_data'

/** The example Polish IBAN of the IBAN registry: a known-valid office account. */
const OFFICE_NRB = '61109010140000071219812874'

/** Check digits computed here from the IBAN rule, independently of the code under test. */
function ibanCheckDigits(bban24: string): string {
  // "PL" → 25 21, then "00" in place of the check digits.
  const remainder = BigInt(bban24 + '252100') % 97n
  return String(98n - remainder).padStart(2, '0')
}

function ibanValid(nrb: string): boolean {
  return BigInt(nrb.slice(2) + '2521' + nrb.slice(0, 2)) % 97n === 1n
}

test.group('Transfer data / virtual account number', () => {
  test('the office example account is a valid IBAN by the test’s own arithmetic', ({ assert }) => {
    assert.isTrue(ibanValid(OFFICE_NRB))
    assert.equal(ibanCheckDigits(OFFICE_NRB.slice(2)), OFFICE_NRB.slice(0, 2))
  })

  test('keeps the sort code, takes the default prefix and pads the taxpayer id', ({ assert }) => {
    const bban = '10901014' + '000007' + '0000000042'
    const expected = ibanCheckDigits(bban) + bban
    const nrb = virtualAccountNumber(OFFICE_NRB, 42)
    assert.equal(nrb, expected)
    assert.isTrue(ibanValid(nrb))
    assert.isTrue(checkNrb(nrb).valid)
  })

  test('uses the prefix the bank assigned', ({ assert }) => {
    const bban = '10901014' + '123456' + '9876543210'
    assert.equal(
      virtualAccountNumber(OFFICE_NRB, 9_876_543_210, '123456'),
      ibanCheckDigits(bban) + bban
    )
  })

  test('accepts the office account written with spaces or as an IBAN', ({ assert }) => {
    const plain = virtualAccountNumber(OFFICE_NRB, 7)
    assert.equal(virtualAccountNumber('61 1090 1014 0000 0712 1981 2874', 7), plain)
    assert.equal(virtualAccountNumber('PL' + OFFICE_NRB, 7), plain)
  })

  test('gives distinct valid numbers to distinct taxpayers', ({ assert }) => {
    const numbers = new Set<string>()
    for (let id = 1; id <= 2000; id++) {
      const nrb = virtualAccountNumber(OFFICE_NRB, id)
      assert.isTrue(checkNrb(nrb).valid, nrb)
      numbers.add(nrb)
    }
    assert.equal(numbers.size, 2000)
    assert.notEqual(virtualAccountNumber(OFFICE_NRB, 12), virtualAccountNumber(OFFICE_NRB, 21))
  })

  test('refuses ids that do not fit 10 digits, and non-ids', ({ assert }) => {
    assert.throws(() => virtualAccountNumber(OFFICE_NRB, 10_000_000_000), /10 digits/)
    assert.equal(virtualAccountNumber(OFFICE_NRB, 9_999_999_999).slice(-10), '9999999999')
    assert.throws(() => virtualAccountNumber(OFFICE_NRB, 0), /Taxpayer id/)
    assert.throws(() => virtualAccountNumber(OFFICE_NRB, -5), /Taxpayer id/)
    assert.throws(() => virtualAccountNumber(OFFICE_NRB, 1.5), /Taxpayer id/)
  })

  test('refuses an invalid office account or prefix', ({ assert }) => {
    assert.throws(
      () => virtualAccountNumber('62109010140000071219812874', 1),
      /Invalid office account number .*wrong check digit/
    )
    assert.throws(() => virtualAccountNumber('1234', 1), /office account.*wrong length/)
    assert.throws(() => virtualAccountNumber(OFFICE_NRB, 1, '12345'), /prefix must be 6 digits/)
    assert.throws(() => virtualAccountNumber(OFFICE_NRB, 1, '12a456'), /prefix must be 6 digits/)
  })
})

const QR_DATA = {
  recipientNip: '123-456-32-18',
  account: '61 1090 1014 0000 0712 1981 2874',
  amountGr: 12_345,
  recipientName: 'Urząd Gminy Testowo',
  title: 'Podatek od nieruchomości 2026',
}

test.group('Transfer data / ZBP payment QR text', () => {
  test('lays out the nine fields separated by |', ({ assert }) => {
    const text = paymentQrText(QR_DATA)
    assert.equal(
      text,
      '1234563218|PL|61109010140000071219812874|012345|Urząd Gminy Testowo|Podatek od nieruchomości 2026|||'
    )
    assert.lengthOf(text.split('|'), 9)
  })

  test('pads small amounts to six digits and zeroes what does not fit', ({ assert }) => {
    const amountOf = (amountGr: number) => paymentQrText({ ...QR_DATA, amountGr }).split('|')[3]
    assert.equal(amountOf(0), '000000')
    assert.equal(amountOf(1), '000001')
    assert.equal(amountOf(999_999), '999999')
    assert.equal(amountOf(1_000_000), '000000')
    assert.equal(amountOf(123_456_789), '000000')
  })

  test('cuts the name to 20 and the title to 32 characters', ({ assert }) => {
    const fields = paymentQrText({
      ...QR_DATA,
      recipientName: 'Urząd Gminy w Testowie Wielkim',
      title: 'Opłata za gospodarowanie odpadami komunalnymi, II kwartał 2026',
    }).split('|')
    assert.equal(fields[4], 'Urząd Gminy w Testow')
    assert.equal(fields[5], 'Opłata za gospodarowanie odpadam')
    assert.equal(Array.from(fields[5]).length, 32)
  })

  test('strips separators and line breaks from the name and the title', ({ assert }) => {
    const text = paymentQrText({
      ...QR_DATA,
      recipientName: 'Gmina|Testowo\r\n',
      title: 'Podatek\nrolny | rata 2',
    })
    assert.lengthOf(text.split('|'), 9)
    assert.notMatch(text, /[\r\n]/)
    const fields = text.split('|')
    assert.equal(fields[4], 'Gmina Testowo')
    assert.equal(fields[5], 'Podatek rolny rata 2')
    assert.isTrue(text.endsWith('|||'))
  })

  test('refuses a wrong NIP, account or amount', ({ assert }) => {
    assert.throws(() => paymentQrText({ ...QR_DATA, recipientNip: '1234563219' }), /NIP/)
    assert.throws(
      () => paymentQrText({ ...QR_DATA, account: '62109010140000071219812874' }),
      /account number/
    )
    assert.throws(() => paymentQrText({ ...QR_DATA, amountGr: -1 }), /non-negative integer/)
    assert.throws(() => paymentQrText({ ...QR_DATA, amountGr: 12.5 }), /non-negative integer/)
  })
})

test.group('Transfer data / QR images', () => {
  test('PNG for PDFs starts with the PNG signature and changes with the text', async ({
    assert,
  }) => {
    const png = await paymentQrPng(paymentQrText(QR_DATA))
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    // Square image, IHDR width and height at bytes 16–23.
    assert.equal(png.readUInt32BE(16), png.readUInt32BE(20))
    assert.isAbove(png.readUInt32BE(16), 200)
    const other = await paymentQrPng(paymentQrText({ ...QR_DATA, amountGr: 100 }))
    assert.isFalse(png.equals(other))
  })

  test('SVG for pages is labelled for screen readers and carries nothing active', async ({
    assert,
  }) => {
    const svg = await paymentQrSvg(paymentQrText(QR_DATA))
    assert.match(svg, /^<svg role="img" aria-label="Kod QR do przelewu" [^>]*viewBox=/)
    assert.isTrue(svg.endsWith('</svg>'))
    assert.notMatch(svg, /<script/i)
    assert.notMatch(svg, /\son\w+=/i)
    assert.notMatch(svg, /href|<foreignObject/i)
  })
})

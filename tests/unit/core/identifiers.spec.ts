import { test } from '@japa/runner'
import {
  checkIdentifier,
  checkNip,
  checkNrb,
  checkPesel,
  checkPostalCode,
  checkRegon,
  makeNrb,
  normalizeIdentifier,
  nrbCheckDigits,
} from '#core/services/identifiers'

test.group('Identifiers / normalization', () => {
  test('strips spaces, dashes and other whitespace', ({ assert }) => {
    assert.equal(normalizeIdentifier(' 123-456-32-18 '), '1234563218')
    assert.equal(normalizeIdentifier('44 05\t14\u00a001359'), '44051401359')
    assert.equal(normalizeIdentifier('123–456–32–18'), '1234563218')
  })
})

test.group('Identifiers / PESEL', () => {
  test('accepts a valid PESEL and reads the birth date and sex', ({ assert }) => {
    assert.deepEqual(checkPesel('44051401359'), {
      valid: true,
      reason: null,
      normalized: '44051401359',
      birthDate: '1944-05-14',
      sex: 'M',
    })
    const woman = checkPesel('85123100044')
    assert.isTrue(woman.valid)
    assert.equal(woman.birthDate, '1985-12-31')
    assert.equal(woman.sex, 'F')
  })

  test('decodes every century from the month field', ({ assert }) => {
    const cases: Array<[string, string, 'M' | 'F']> = [
      ['82812012349', '1882-01-20', 'F'],
      ['02010100019', '1902-01-01', 'M'],
      ['02210100022', '2002-01-01', 'F'],
      ['00233100072', '2000-03-31', 'M'],
      ['02412900060', '2102-01-29', 'F'],
      ['02610100031', '2202-01-01', 'M'],
    ]
    for (const [pesel, birthDate, sex] of cases) {
      const result = checkPesel(pesel)
      assert.isTrue(result.valid, pesel)
      assert.equal(result.birthDate, birthDate, pesel)
      assert.equal(result.sex, sex, pesel)
    }
  })

  test('knows leap years: 29 Feb 2000 and 1924 exist, 1900 and 1901 do not', ({ assert }) => {
    assert.equal(checkPesel('00222900023').birthDate, '2000-02-29')
    assert.equal(checkPesel('24022900030').birthDate, '1924-02-29')
    assert.equal(checkPesel('00022900010').reason, 'impossible date')
    assert.equal(checkPesel('01022900024').reason, 'impossible date')
  })

  test('rejects dates that do not exist even with a correct check digit', ({ assert }) => {
    assert.deepEqual(checkPesel('90023100014'), {
      valid: false,
      reason: 'impossible date',
      normalized: '90023100014',
    })
    assert.equal(checkPesel('90130100035').reason, 'impossible date')
    assert.equal(checkPesel('00930100052').reason, 'impossible date')
    assert.equal(checkPesel('00010000001').reason, 'impossible date')
    assert.equal(checkPesel('00000100007').reason, 'impossible date')
  })

  test('rejects a wrong check digit', ({ assert }) => {
    const result = checkPesel('44051401358')
    assert.isFalse(result.valid)
    assert.equal(result.reason, 'wrong check digit')
    assert.notProperty(result, 'birthDate')
    assert.notProperty(result, 'sex')
  })

  test('rejects wrong length, letters and empty input', ({ assert }) => {
    assert.equal(checkPesel('4405140135').reason, 'wrong length')
    assert.equal(checkPesel('440514013590').reason, 'wrong length')
    assert.equal(checkPesel('4405140135A').reason, 'not digits')
    assert.equal(checkPesel('   ').reason, 'empty')
  })

  test('ignores separators', ({ assert }) => {
    const result = checkPesel(' 440514-01359 ')
    assert.isTrue(result.valid)
    assert.equal(result.normalized, '44051401359')
  })
})

test.group('Identifiers / NIP', () => {
  test('accepts a valid NIP written with or without dashes', ({ assert }) => {
    assert.deepEqual(checkNip('1234563218'), {
      valid: true,
      reason: null,
      normalized: '1234563218',
    })
    assert.isTrue(checkNip('123-456-32-18').valid)
    assert.isTrue(checkNip('123 45 63 218').valid)
  })

  test('rejects a wrong check digit', ({ assert }) => {
    assert.equal(checkNip('1234563219').reason, 'wrong check digit')
  })

  test('rejects numbers whose checksum is 10', ({ assert }) => {
    // 1,0,0,0,0,0,0,1,6 weighted: 6 + 6 + 42 = 54, 54 mod 11 = 10
    for (let last = 0; last <= 9; last++) {
      assert.equal(checkNip(`100000016${last}`).reason, 'wrong check digit')
    }
  })

  test('rejects wrong length and letters', ({ assert }) => {
    assert.equal(checkNip('123456321').reason, 'wrong length')
    assert.equal(checkNip('PL1234563218').reason, 'not digits')
  })
})

test.group('Identifiers / REGON', () => {
  test('accepts 9-digit and 14-digit numbers', ({ assert }) => {
    assert.isTrue(checkRegon('123456785').valid)
    assert.isTrue(checkRegon('12345678512347').valid)
    assert.isTrue(checkRegon('123-456-785').valid)
  })

  test('treats a remainder of 10 as check digit 0', ({ assert }) => {
    // 0,0,0,0,0,0,0,3 weighted: 3 · 7 = 21, 21 mod 11 = 10 → check digit 0
    assert.isTrue(checkRegon('000000030').valid)
    assert.equal(checkRegon('000000031').reason, 'wrong check digit')
  })

  test('rejects wrong check digits', ({ assert }) => {
    assert.equal(checkRegon('123456784').reason, 'wrong check digit')
    assert.equal(checkRegon('12345678512348').reason, 'wrong check digit')
  })

  test('rejects other lengths and letters', ({ assert }) => {
    assert.equal(checkRegon('1234567').reason, 'wrong length')
    assert.equal(checkRegon('1234567851234').reason, 'wrong length')
    assert.equal(checkRegon('12345678X').reason, 'not digits')
  })
})

test.group('Identifiers / NRB', () => {
  test('accepts an NRB and its IBAN form with spaces', ({ assert }) => {
    const expected = { valid: true, reason: null, normalized: '61109010140000071219812874' }
    assert.deepEqual(checkNrb('61109010140000071219812874'), expected)
    assert.deepEqual(checkNrb('61 1090 1014 0000 0712 1981 2874'), expected)
    assert.deepEqual(checkNrb('PL61 1090 1014 0000 0712 1981 2874'), expected)
    assert.deepEqual(checkNrb('pl61109010140000071219812874'), expected)
  })

  test('rejects a changed digit or swapped check digits', ({ assert }) => {
    assert.equal(checkNrb('61109010140000071219812875').reason, 'wrong check digit')
    assert.equal(checkNrb('16109010140000071219812874').reason, 'wrong check digit')
  })

  test('rejects wrong length, letters and foreign IBANs', ({ assert }) => {
    assert.equal(checkNrb('6110901014000007121981287').reason, 'wrong length')
    assert.equal(checkNrb('PL611090101400000712198128745').reason, 'wrong length')
    assert.equal(checkNrb('DE89370400440532013000').reason, 'not digits')
  })

  test('computes check digits that make a valid account', ({ assert }) => {
    assert.equal(nrbCheckDigits('109010140000071219812874'), '61')
    const account = makeNrb('10901014', '0000071219812874')
    assert.equal(account, '61109010140000071219812874')

    for (const taxpayer of ['0000000000000001', '1234567890123456', '9999999999999999']) {
      const nrb = makeNrb('10205561', taxpayer)
      assert.lengthOf(nrb, 26)
      assert.isTrue(checkNrb(nrb).valid, nrb)
      assert.equal(nrb.slice(0, 2), nrbCheckDigits(nrb.slice(2)))
    }
  })

  test('refuses malformed parts when making an account number', ({ assert }) => {
    assert.throws(() => nrbCheckDigits('12345'), /24-digit/)
    assert.throws(() => makeNrb('1090101', '0000071219812874'), /sort code/)
    assert.throws(() => makeNrb('10901014', '00000712198128A4'), /16-digit/)
  })
})

test.group('Identifiers / postal code', () => {
  test('accepts NN-NNN and normalizes loose spellings', ({ assert }) => {
    assert.deepEqual(checkPostalCode('00-950'), { valid: true, reason: null, normalized: '00-950' })
    assert.equal(checkPostalCode('00950').normalized, '00-950')
    assert.equal(checkPostalCode(' 61 - 888 ').normalized, '61-888')
  })

  test('rejects other shapes', ({ assert }) => {
    assert.equal(checkPostalCode('009-50').reason, 'wrong format')
    assert.equal(checkPostalCode('0-0950').reason, 'wrong format')
    assert.equal(checkPostalCode('00-95').reason, 'wrong format')
    assert.equal(checkPostalCode('AB-123').reason, 'wrong format')
    assert.equal(checkPostalCode('').reason, 'empty')
  })
})

test.group('Identifiers / by kind', () => {
  test('dispatches on the identifier kind', ({ assert }) => {
    assert.isTrue(checkIdentifier('pesel', '44051401359').valid)
    assert.equal(checkIdentifier('pesel', '44051401359').birthDate, '1944-05-14')
    assert.isTrue(checkIdentifier('nip', '123-456-32-18').valid)
    assert.isTrue(checkIdentifier('regon', '123456785').valid)
    assert.isTrue(checkIdentifier('nrb', 'PL61109010140000071219812874').valid)
    assert.isFalse(checkIdentifier('nip', '44051401359').valid)
  })
})

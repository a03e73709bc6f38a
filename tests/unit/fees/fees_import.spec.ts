import { test } from '@japa/runner'
import { readFile } from 'node:fs/promises'
import {
  ImportFileError,
  decodeCsv,
  looksBinary,
  parseCsv,
  parseImportDate,
  validateTaxpayerCsv,
} from '#fees/services/fees_import'

const HEADER =
  'external_id;kind;name;pesel;nip;regon;street;postal_code;city;email;phone;tax;category;description;location;base;valid_from'

function issuesOf(text: string) {
  return validateTaxpayerCsv(text).issues.map((issue) => `${issue.line} ${issue.field}`)
}

test.group('Fees import / decoding', () => {
  test('Windows-1250 bytes decode to Polish letters; the same text in UTF-8 stays UTF-8', ({
    assert,
  }) => {
    /* "Łódź;ąęłżś" written by a Windows-1250 program: Ł=A3 ó=F3 d ź=9F ; ą=B9 ę=EA ł=B3 ż=BF ś=9C */
    const bytes = Uint8Array.from([0xa3, 0xf3, 0x64, 0x9f, 0x3b, 0xb9, 0xea, 0xb3, 0xbf, 0x9c])
    assert.deepEqual(decodeCsv(bytes), { text: 'Łódź;ąęłżś', encoding: 'Windows-1250' })
    assert.deepEqual(decodeCsv(new TextEncoder().encode('Łódź;ąęłżś')), {
      text: 'Łódź;ąęłżś',
      encoding: 'UTF-8',
    })
  })

  test('a UTF-8 byte order mark is dropped; plain ASCII counts as UTF-8', ({ assert }) => {
    const withBom = Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('ąb;c')])
    assert.deepEqual(decodeCsv(withBom), { text: 'ąb;c', encoding: 'UTF-8' })
    assert.equal(decodeCsv(new TextEncoder().encode('a;b')).encoding, 'UTF-8')
  })

  test('the Windows-1250 fixture and the UTF-8 fixture decode to the same text', async ({
    assert,
  }) => {
    const legacy = decodeCsv(await readFile('tests/fixtures/fees/podatnicy-cp1250.csv'))
    const modern = decodeCsv(await readFile('tests/fixtures/fees/podatnicy.csv'))
    assert.equal(legacy.encoding, 'Windows-1250')
    assert.equal(modern.encoding, 'UTF-8')
    assert.equal(legacy.text.replace(/\r\n/g, '\n'), modern.text.replace(/\r\n/g, '\n'))
    assert.include(legacy.text, 'Piekarnia ""Złoty Kłos""')
  })

  test('binary files are recognised: PDF, ZIP (xlsx), PNG and NUL bytes', ({ assert }) => {
    assert.isTrue(looksBinary(new TextEncoder().encode('%PDF-1.7\n')))
    assert.isTrue(looksBinary(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2])))
    assert.isTrue(looksBinary(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])))
    assert.isTrue(looksBinary(Uint8Array.from([0x61, 0x3b, 0x00, 0x62])))
    assert.isFalse(looksBinary(new TextEncoder().encode('a;b\n1;2\n')))
  })
})

test.group('Fees import / CSV parsing', () => {
  test('quotes, doubled quotes, separators and line breaks inside quotes', ({ assert }) => {
    const { separator, rows } = parseCsv('a;b;c\r\n"x;y";"say ""hi""";"two\r\nlines"\r\n1;;3\n')
    assert.equal(separator, ';')
    assert.deepEqual(rows, [
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x;y', 'say "hi"', 'two\nlines'] },
      { line: 4, cells: ['1', '', '3'] },
    ])
  })

  test('comma as separator when the header has no semicolon; blank lines are skipped', ({
    assert,
  }) => {
    const { separator, rows } = parseCsv('a,b\n\n"1,5",2\n;\n')
    assert.equal(separator, ',')
    assert.deepEqual(rows, [
      { line: 1, cells: ['a', 'b'] },
      { line: 3, cells: ['1,5', '2'] },
      { line: 4, cells: [';'] },
    ])
  })

  test('the last row without a line break and a lone CR as line end', ({ assert }) => {
    assert.deepEqual(parseCsv('a;b\r1;2').rows, [
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ])
  })

  test('an unclosed quote names the line where the field began', ({ assert }) => {
    assert.throws(() => parseCsv('a;b\n1;"open\n\n'), ImportFileError, /wierszu 2/)
  })

  test('dates: ISO and Polish forms, impossible dates refused', ({ assert }) => {
    assert.equal(parseImportDate('2024-02-29'), '2024-02-29')
    assert.equal(parseImportDate('1.4.2015'), '2015-04-01')
    assert.equal(parseImportDate('29.02.2023'), null)
    assert.isNull(parseImportDate('2023/01/01'))
  })
})

test.group('Fees import / validation', () => {
  test('the valid fixture passes with three taxpayers', async ({ assert }) => {
    const text = decodeCsv(await readFile('tests/fixtures/fees/podatnicy.csv')).text
    const result = validateTaxpayerCsv(text)
    assert.deepEqual(result.issues, [])
    assert.sameMembers(result.valid, ['P-0001', 'P-0002', 'F-0001'])
  })

  test('checksums, postal code, category, base and date are reported by line and field', async ({
    assert,
  }) => {
    const text = await readFile('tests/fixtures/fees/podatnicy-bledy.csv', 'utf8')
    const result = validateTaxpayerCsv(text)
    assert.deepEqual(
      result.issues.map((issue) => `${issue.line} ${issue.field}`),
      ['2 pesel', '3 postal_code', '3 category', '3 base', '3 valid_from']
    )
    assert.deepEqual(result.valid, ['E-0003'])
    assert.match(result.issues[0].message, /PESEL/)
    assert.match(result.issues[2].message, /garden/)
  })

  test('NIP and REGON checksums; a business needs a NIP', ({ assert }) => {
    assert.deepEqual(issuesOf(`${HEADER}\nF1;firma;Tartak;;7391234562;361234563`), ['2 nip'])
    assert.deepEqual(issuesOf(`${HEADER}\nF1;firma;Tartak;;7391234561;361234564`), ['2 regon'])
    assert.deepEqual(issuesOf(`${HEADER}\nF1;firma;Tartak`), ['2 nip'])
    assert.deepEqual(issuesOf(`${HEADER}\nF1;firma;Tartak;;739-123-45-61;361234563`), [])
  })

  test('unknown and missing columns stop at the header', ({ assert }) => {
    assert.deepEqual(issuesOf('external_id;name;colour\nA;B;C'), ['1 colour', '1 kind'])
  })

  test('a category of another tax, an unknown kind, a zero base', ({ assert }) => {
    assert.deepEqual(
      issuesOf(
        `${HEADER}\nA1;osoba;Nowak Jan;;;;;;;;;rolny;land_other;Działka;;100;2020-01-01\nA2;spółka;Nowak Jan\nA3;osoba;Nowak Ewa;;;;;;;;;leśny;forest;Las;;0;2020-01-01`
      ),
      ['2 category', '3 kind', '4 base']
    )
  })

  test('later rows of a taxpayer must not contradict the first; the whole taxpayer is left out', ({
    assert,
  }) => {
    const result = validateTaxpayerCsv(
      `${HEADER}\nA1;osoba;Nowak Jan;;;;;;Lipnik;;;nieruchomości;land_other;Działka;;100;2020-01-01\nA1;osoba;Nowak Janusz;;;;;;;;;nieruchomości;building_other;Garaż;;20;2020-01-01`
    )
    assert.deepEqual(
      result.issues.map((issue) => `${issue.line} ${issue.field}`),
      ['2 external_id', '3 name']
    )
    assert.deepEqual(result.valid, [])
  })

  test('the same PESEL under two identifiers is refused', ({ assert }) => {
    assert.deepEqual(
      issuesOf(`${HEADER}\nA1;osoba;Nowak Jan;72031512344\nA2;osoba;Nowak Jan;72031512344`),
      ['3 pesel']
    )
  })
})

test.group('Fees import / joint owners', () => {
  const JOINT = 'external_id;kind;name;pesel;members'

  test('the joint fixture passes: two persons and their joint property', async ({ assert }) => {
    const text = await readFile('tests/fixtures/fees/wspolwlasnosc.csv', 'utf8')
    const result = validateTaxpayerCsv(text)
    assert.deepEqual(result.issues, [])
    assert.sameMembers(result.valid, ['P-0101', 'P-0102', 'W-0101'])
  })

  test('a joint taxpayer needs two co-owners, no PESEL of its own, and no member column elsewhere', ({
    assert,
  }) => {
    assert.deepEqual(issuesOf(`${JOINT}\nW1;współwłasność;Nowakowie;;P1`), ['2 members'])
    assert.deepEqual(issuesOf(`${JOINT}\nW1;współwłasność;Nowakowie;;P1,P1`), ['2 members'])
    assert.deepEqual(issuesOf(`${JOINT}\nW1;współwłasność;Nowakowie;;W1,P2`), ['2 members'])
    assert.deepEqual(issuesOf(`${JOINT}\nW1;współwłasność;Nowakowie;72031512344;P1,P2`), [
      '2 pesel',
    ])
    assert.deepEqual(issuesOf(`${JOINT}\nP1;osoba;Nowak Jan;;P2,P3`), ['2 members'])
    /* Co-owners outside the file are looked up in the register when writing. */
    assert.deepEqual(issuesOf(`${JOINT}\nW1;współwłasność;Nowakowie;;P1 P2`), [])
  })

  test('a co-owner with errors in the file, or a business, leaves the joint taxpayer out', ({
    assert,
  }) => {
    const result = validateTaxpayerCsv(
      `${JOINT}\nP1;osoba;Nowak Jan;72031512345\nP2;osoba;Nowak Ewa\nW1;współwłasność;Nowakowie;;P1,P2`
    )
    assert.deepEqual(
      result.issues.map((issue) => `${issue.line} ${issue.field}`),
      ['2 pesel', '4 members']
    )
    assert.match(result.issues[1].message, /„P1” ma w pliku błędy/)
    assert.deepEqual(result.valid, ['P2'])
    const business = validateTaxpayerCsv(
      'external_id;kind;name;nip;members\nF1;firma;Tartak;7391234561;\nP2;osoba;Nowak Ewa;;\nW1;współwłasność;Razem;;F1,P2'
    )
    assert.deepEqual(
      business.issues.map((issue) => `${issue.line} ${issue.message}`),
      ['4 Współwłaściciel „F1” nie jest osobą fizyczną.']
    )
  })
})

test.group('Fees import / rows with too many fields', () => {
  test('a row with more fields than the header is reported and never taken', ({ assert }) => {
    const result = validateTaxpayerCsv(
      `external_id;kind;name\nA1;osoba;Nowak Jan;Kowalski\nA2;osoba;Nowak Ewa\nA1;osoba;Nowak Jan`
    )
    assert.deepEqual(
      result.issues.map((issue) => `${issue.line} ${issue.field}`),
      ['2 ', '4 external_id']
    )
    assert.deepEqual(result.valid, ['A2'])
  })
})

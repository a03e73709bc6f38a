import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import { MissingFontError, PdfDocument } from '#core/services/pdf_document'
import { paymentQrPng, paymentQrText } from '#payments/services/transfer_data'

const run = promisify(execFile)

const OFFICE = {
  name: 'Urząd Gminy Testowo',
  street: 'ul. Źródlana 1',
  postalCode: '12-345',
  city: 'Testowo',
  nip: '5213017228',
  regon: '012345675',
  phone: '+48 12 345 67 89',
  email: 'urzad@testowo.localhost',
}

const INSTALLMENT_DATES = ['15 marca', '15 maja', '15 września', '15 listopada']

/** A decision-like letter whose installment table is too long for one page. */
async function sampleLetter(): Promise<Buffer> {
  const rows = Array.from({ length: 48 }, (_, index) => [
    `${index + 1}.`,
    `Rata ${(index % 4) + 1} podatku od nieruchomości, działka nr ${100 + index}/2`,
    `${INSTALLMENT_DATES[index % 4]} 2027 r.`,
    123_456 + index * 1000,
  ])
  const qr = await paymentQrPng(
    paymentQrText({
      recipientNip: OFFICE.nip,
      account: '61109010140000071219812874',
      amountGr: 12_345,
      recipientName: OFFICE.name,
      title: 'Podatek od nieruchomości 2027',
    })
  )
  return new PdfDocument({
    title: 'Decyzja w sprawie wymiaru podatku',
    office: OFFICE,
    subject: 'Podatek od nieruchomości 2027',
    createdAt: new Date('2026-11-24T09:00:00Z'),
  })
    .placeAndDate('2026-11-24')
    .title('Decyzja w sprawie wymiaru podatku od nieruchomości na 2027 rok')
    .paragraph('Zażółć gęślą jaźń. ZAŻÓŁĆ GĘŚLĄ JAŹŃ.')
    .paragraph(
      'Na podstawie art. 21 ustawy z dnia 12 stycznia 1991 r. o podatkach i opłatach ' +
        'lokalnych ustala się wysokość zobowiązania podatkowego w kwotach podanych poniżej.'
    )
    .table(
      [
        { header: 'Lp.', width: 1 },
        { header: 'Tytuł należności', width: 7 },
        { header: 'Termin płatności', width: 3 },
        { header: 'Kwota', width: 2.4, money: true },
      ],
      rows,
      { caption: 'Raty', totalRow: [null, 'Razem', null, 7_053_888] }
    )
    .image(qr, { width: 90, caption: 'Kod QR do przelewu' })
    .paragraph('Pouczenie: od decyzji służy odwołanie do Samorządowego Kolegium Odwoławczego.')
    .toBuffer()
}

async function withPdf<T>(pdf: Buffer, use: (path: string, dir: string) => Promise<T>) {
  const dir = await mkdtemp(join(tmpdir(), 'ratusz-pdf-'))
  try {
    const path = join(dir, 'letter.pdf')
    await writeFile(path, pdf)
    return await use(path, dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function pdfText(path: string, pages?: [number, number]): Promise<string> {
  const range = pages ? ['-f', String(pages[0]), '-l', String(pages[1])] : []
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', ...range, path, '-'])
  return stdout
}

test.group('PdfDocument', () => {
  test('prints Polish text, the letterhead and page numbers on two pages', async ({ assert }) => {
    const pdf = await sampleLetter()
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')

    await withPdf(pdf, async (path) => {
      const text = await pdfText(path)
      assert.include(text, 'Zażółć gęślą jaźń. ZAŻÓŁĆ GĘŚLĄ JAŹŃ.')
      assert.include(text, 'Urząd Gminy Testowo')
      assert.include(text, 'ul. Źródlana 1, 12-345 Testowo')
      assert.include(text, 'NIP 5213017228 · REGON 012345675')
      assert.include(text, 'Testowo, 24 listopada 2026 r.')
      assert.include(text, 'Strona 1 z 2')
      assert.include(text, 'Strona 2 z 2')
      assert.include(text, '1 234,56 zł')
      assert.include(text, '70 538,88 zł')

      const { stdout: info } = await run('pdfinfo', [path])
      assert.match(info, /^Pages:\s+2$/m)
      assert.match(info, /^Title:\s+Decyzja w sprawie wymiaru podatku$/m)
      assert.match(info, /^Author:\s+Urząd Gminy Testowo$/m)
      assert.match(info, /^Creator:\s+Ratusz$/m)
    })
  })

  test('repeats the table header on the page the table continues on', async ({ assert }) => {
    await withPdf(await sampleLetter(), async (path) => {
      const first = await pdfText(path, [1, 1])
      const second = await pdfText(path, [2, 2])
      assert.include(first, '1.')
      assert.include(second, '48.')
      assert.include(second, 'Razem')
      // The break falls inside the table: rows on both pages, header on both.
      for (const page of [first, second]) {
        assert.include(page, 'Tytuł należności')
        assert.include(page, 'Termin płatności')
        assert.include(page, 'Rata 1 podatku od nieruchomości')
      }
      assert.notInclude(first, 'Strona 2 z 2')
      assert.notInclude(second, 'Strona 1 z 2')
    })
  })

  test('gives the same bytes for the same letter and creation date', async ({ assert }) => {
    const [a, b] = await Promise.all([sampleLetter(), sampleLetter()])
    assert.isTrue(a.equals(b))
  })

  test('names the missing font file and the Debian package', async ({ assert }) => {
    const dir = await mkdtemp(join(tmpdir(), 'ratusz-nofont-'))
    try {
      assert.throws(
        () => new PdfDocument({ title: 'x', office: OFFICE, fontDir: dir }),
        /DejaVuSans\.ttf not found.*fonts-dejavu-core/
      )
      try {
        new PdfDocument({ title: 'x', office: OFFICE, fontDir: dir })
      } catch (error) {
        assert.instanceOf(error, MissingFontError)
        assert.equal((error as MissingFontError).path, join(dir, 'DejaVuSans.ttf'))
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('refuses an image that is not a PNG', ({ assert }) => {
    const letter = new PdfDocument({ title: 'x', office: OFFICE })
    assert.throws(() => letter.image(Buffer.from('GIF89a'), { width: 50 }), /expects a PNG/)
  })
})

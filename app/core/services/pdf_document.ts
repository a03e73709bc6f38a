/*
 * Official letters as PDF (decisions, reminders, confirmations): A4 with the
 * office letterhead, a place-and-date line, a title, paragraphs, tables, images
 * and "Strona X z Y" on every page. A thin layer over pdfkit so every module
 * prints letters that look the same.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import PDFDocument from 'pdfkit'
import type { OfficeProfileData } from '#core/services/office_profile_service'
import { polishDate } from '#core/services/formatting'
import { formatMoney } from '#core/services/money'

/** Debian's fonts-dejavu-core: the standard PDF fonts have no Polish diacritics. */
export const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu'
const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const

export class MissingFontError extends Error {
  readonly code = 'E_MISSING_FONT'

  constructor(readonly path: string) {
    super(
      `Font file ${path} not found: PDF letters need the DejaVu fonts ` +
        `(Debian package fonts-dejavu-core)`
    )
  }
}

export type LetterheadData = Pick<
  OfficeProfileData,
  'name' | 'street' | 'postalCode' | 'city' | 'nip' | 'regon' | 'phone' | 'email'
>

export interface PdfDocumentOptions {
  /** Document title in the PDF metadata (the title line is added with title()). */
  title: string
  office: LetterheadData
  subject?: string
  /** Fixed creation date, so the same letter gives the same bytes (tests, re-prints). */
  createdAt?: Date
  fontDir?: string
}

export interface PdfTableColumn {
  header: string
  /** Relative width: the columns share the text width in these proportions. */
  width: number
  align?: 'left' | 'center' | 'right'
  /** Numbers are grosze printed as "1 234,56 zł", right-aligned. */
  money?: boolean
}

export type PdfTableCell = string | number | null | undefined

export interface PdfTableOptions {
  /** Bold line above the table, kept on the same page as the header. */
  caption?: string
  /** Printed bold after the rows, e.g. "Razem". */
  totalRow?: PdfTableCell[]
}

export interface PdfImageOptions {
  /** Width in points (1 cm ≈ 28.35 pt); the height keeps the image's proportions. */
  width: number
  caption?: string
}

const MARGINS = { top: 50, bottom: 64, left: 62, right: 56 }
const FONT_SIZE = 10.5
const SMALL_SIZE = 8.5
const TABLE_SIZE = 9
const CELL_PADDING = 4
const GREY = '#444444'
const RULE = '#999999'
const HEADER_FILL = '#e8e8e8'

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export class PdfDocument {
  readonly #doc: PDFKit.PDFDocument
  readonly #office: LetterheadData
  readonly #chunks: Buffer[] = []
  readonly #ended: Promise<Buffer>
  #finished = false

  constructor(options: PdfDocumentOptions) {
    const fontDir = options.fontDir ?? DEJAVU_DIR
    const fonts = {
      regular: join(fontDir, FONT_FILES.regular),
      bold: join(fontDir, FONT_FILES.bold),
    }
    for (const path of Object.values(fonts)) {
      if (!existsSync(path)) throw new MissingFontError(path)
    }

    this.#office = options.office
    this.#doc = new PDFDocument({
      size: 'A4',
      margins: MARGINS,
      bufferPages: true,
      font: fonts.regular,
      lang: 'pl-PL',
      displayTitle: true,
      info: {
        Title: options.title,
        Author: options.office.name,
        // pdfkit hashes every info value into the file id: an undefined one throws.
        ...(options.subject ? { Subject: options.subject } : {}),
        Creator: 'Ratusz',
        CreationDate: options.createdAt ?? new Date(),
      },
    })
    this.#doc.registerFont('regular', fonts.regular)
    this.#doc.registerFont('bold', fonts.bold)
    this.#ended = new Promise((resolve, reject) => {
      this.#doc.on('data', (chunk: Buffer) => this.#chunks.push(chunk))
      this.#doc.on('end', () => resolve(Buffer.concat(this.#chunks)))
      this.#doc.on('error', reject)
    })
    this.#letterhead()
  }

  get #width(): number {
    return this.#doc.page.width - MARGINS.left - MARGINS.right
  }

  get #bottom(): number {
    return this.#doc.page.height - MARGINS.bottom
  }

  /** Starts a new page unless `height` points still fit on this one. */
  #ensureSpace(height: number): void {
    if (this.#doc.y + height > this.#bottom) this.#doc.addPage()
  }

  #letterhead(): void {
    const doc = this.#doc
    const office = this.#office
    doc.font('bold').fontSize(13).fillColor('black')
    doc.text(office.name, { width: this.#width })
    doc.font('regular').fontSize(9.5)
    doc.text(`${office.street}, ${office.postalCode} ${office.city}`, { width: this.#width })
    doc.fontSize(SMALL_SIZE).fillColor(GREY)
    doc.text(`NIP ${office.nip} · REGON ${office.regon}`, { width: this.#width })
    doc.text(`tel. ${office.phone} · e-mail ${office.email}`, { width: this.#width })
    const ruleY = doc.y + 6
    doc
      .moveTo(MARGINS.left, ruleY)
      .lineTo(MARGINS.left + this.#width, ruleY)
      .lineWidth(0.75)
      .strokeColor(RULE)
      .stroke()
    doc.fillColor('black').fontSize(FONT_SIZE)
    doc.x = MARGINS.left
    doc.y = ruleY + 14
  }

  /** "Testowo, 24 listopada 2026 r.", right-aligned; the place defaults to the office's town. */
  placeAndDate(isoDate: string, place: string = this.#office.city): this {
    this.#doc
      .font('regular')
      .fontSize(FONT_SIZE)
      .text(`${place}, ${polishDate(isoDate)}`, MARGINS.left, this.#doc.y, {
        width: this.#width,
        align: 'right',
      })
    this.#doc.moveDown(1.5)
    return this
  }

  title(text: string): this {
    const doc = this.#doc.font('bold').fontSize(13)
    // Keep the title with at least three lines of what follows it.
    this.#ensureSpace(doc.heightOfString(text, { width: this.#width }) + 4 * FONT_SIZE * 1.2)
    doc.text(text, MARGINS.left, doc.y, { width: this.#width, align: 'center' })
    doc.moveDown(0.8)
    doc.font('regular').fontSize(FONT_SIZE)
    return this
  }

  paragraph(text: string, options: { bold?: boolean; align?: 'left' | 'justify' } = {}): this {
    this.#doc
      .font(options.bold ? 'bold' : 'regular')
      .fontSize(FONT_SIZE)
      .fillColor('black')
      .text(text, MARGINS.left, this.#doc.y, {
        width: this.#width,
        align: options.align ?? 'justify',
        paragraphGap: FONT_SIZE * 0.6,
        lineGap: 1.5,
      })
    this.#doc.font('regular')
    return this
  }

  /**
   * A table with a grey header row, repeated at the top of every page the
   * table continues on so a reader of page 2 still knows what the columns are.
   */
  table(columns: PdfTableColumn[], rows: PdfTableCell[][], options: PdfTableOptions = {}): this {
    if (columns.length === 0) throw new RangeError('A table needs at least one column')
    const doc = this.#doc
    const totalWeight = columns.reduce((sum, column) => sum + column.width, 0)
    if (!(totalWeight > 0) || columns.some((column) => !(column.width > 0))) {
      throw new RangeError('Table column widths must be positive numbers')
    }
    const widths = columns.map((column) => (column.width / totalWeight) * this.#width)
    const texts = (row: PdfTableCell[]) =>
      columns.map((column, index) => {
        const value = row[index]
        if (value === null || value === undefined) return ''
        if (column.money && typeof value === 'number') return formatMoney(value)
        return String(value)
      })
    const alignOf = (column: PdfTableColumn) => column.align ?? (column.money ? 'right' : 'left')
    const rowHeight = (cells: string[], font: 'regular' | 'bold') => {
      doc.font(font).fontSize(TABLE_SIZE)
      const heights = cells.map((cell, index) =>
        doc.heightOfString(cell || ' ', { width: widths[index] - 2 * CELL_PADDING })
      )
      return Math.max(...heights) + 2 * CELL_PADDING
    }
    const drawRow = (cells: string[], font: 'regular' | 'bold', fill?: string) => {
      const height = rowHeight(cells, font)
      const top = doc.y
      if (fill) {
        doc.rect(MARGINS.left, top, this.#width, height).fillColor(fill).fill()
      }
      doc.fillColor('black').font(font).fontSize(TABLE_SIZE)
      let x = MARGINS.left
      cells.forEach((cell, index) => {
        doc.text(cell, x + CELL_PADDING, top + CELL_PADDING, {
          width: widths[index] - 2 * CELL_PADDING,
          align: alignOf(columns[index]),
        })
        x += widths[index]
      })
      doc
        .moveTo(MARGINS.left, top + height)
        .lineTo(MARGINS.left + this.#width, top + height)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke()
      doc.x = MARGINS.left
      doc.y = top + height
    }

    const header = columns.map((column) => column.header)
    const headerHeight = rowHeight(header, 'bold')
    const firstRowHeight = rows.length > 0 ? rowHeight(texts(rows[0]), 'regular') : 0
    let captionHeight = 0
    if (options.caption) {
      doc.font('bold').fontSize(FONT_SIZE)
      captionHeight = doc.heightOfString(options.caption, { width: this.#width }) + 4
    }
    this.#ensureSpace(captionHeight + headerHeight + firstRowHeight)
    if (options.caption) {
      doc.font('bold').fontSize(FONT_SIZE)
      doc.text(options.caption, MARGINS.left, doc.y, { width: this.#width })
      doc.y += 4
    }
    drawRow(header, 'bold', HEADER_FILL)

    const body: Array<{ cells: string[]; font: 'regular' | 'bold' }> = rows.map((row) => ({
      cells: texts(row),
      font: 'regular',
    }))
    if (options.totalRow) body.push({ cells: texts(options.totalRow), font: 'bold' })
    for (const { cells, font } of body) {
      if (doc.y + rowHeight(cells, font) > this.#bottom) {
        doc.addPage()
        drawRow(header, 'bold', HEADER_FILL)
      }
      drawRow(cells, font)
    }

    doc.font('regular').fontSize(FONT_SIZE)
    doc.y += FONT_SIZE
    return this
  }

  /** A PNG (e.g. the payment QR code) at the left margin, with an optional caption below. */
  image(png: Buffer, options: PdfImageOptions): this {
    if (!png.subarray(0, 8).equals(PNG_MAGIC)) {
      throw new RangeError('PdfDocument.image expects a PNG image')
    }
    const doc = this.#doc
    // IHDR, the first chunk of every PNG, holds the width and height at bytes 16–23.
    const height = (options.width * png.readUInt32BE(20)) / png.readUInt32BE(16)
    doc.font('regular').fontSize(SMALL_SIZE)
    const captionHeight = options.caption
      ? doc.heightOfString(options.caption, { width: options.width }) + 4
      : 0
    this.#ensureSpace(height + captionHeight)
    const top = doc.y
    doc.image(png, MARGINS.left, top, { width: options.width, height })
    doc.y = top + height
    if (options.caption) {
      doc.fillColor(GREY).text(options.caption, MARGINS.left, doc.y + 2, {
        width: options.width,
        align: 'center',
      })
    }
    doc.fillColor('black').fontSize(FONT_SIZE)
    doc.x = MARGINS.left
    doc.y += FONT_SIZE
    return this
  }

  /**
   * The case sign ("Znak sprawy: …") at the left margin; call it right before
   * placeAndDate() so both share one line, as Polish office letters print them.
   */
  caseSign(text: string): this {
    const top = this.#doc.y
    this.#doc
      .font('regular')
      .fontSize(FONT_SIZE)
      .text(text, MARGINS.left, top, { width: this.#width * 0.55 })
    this.#doc.y = top
    return this
  }

  /** The addressee in the right half of the page, where a window envelope shows it. */
  addressee(lines: string[]): this {
    const doc = this.#doc
    const x = MARGINS.left + this.#width * 0.52
    const width = this.#width * 0.48
    doc.font('bold').fontSize(FONT_SIZE).fillColor('black')
    const height = lines.reduce(
      (sum, line) => sum + doc.heightOfString(line || ' ', { width }) + 1,
      0
    )
    this.#ensureSpace(height)
    lines.forEach((line, index) => {
      doc.font(index === 0 || lines[index - 1] === '' ? 'bold' : 'regular')
      doc.text(line || ' ', x, doc.y, { width, lineGap: 1 })
    })
    doc.font('regular')
    doc.x = MARGINS.left
    doc.moveDown(1.5)
    return this
  }

  /** The signature block, centred in the right half: on whose behalf, the name, the office held. */
  signature(lines: string[]): this {
    const doc = this.#doc
    const x = MARGINS.left + this.#width * 0.5
    const width = this.#width * 0.5
    doc.font('regular').fontSize(FONT_SIZE)
    const height = (lines.length + 3) * FONT_SIZE * 1.3
    this.#ensureSpace(height)
    doc.y += FONT_SIZE
    lines.forEach((line, index) => {
      doc
        .font(index === 1 ? 'bold' : 'regular')
        .fontSize(index > 1 ? SMALL_SIZE : FONT_SIZE)
        .fillColor(index > 1 ? GREY : 'black')
        .text(line, x, doc.y, { width, align: 'center' })
      /* Room for the handwritten signature under "z up." */
      if (index === 0) doc.y += FONT_SIZE * 2.2
    })
    doc.font('regular').fontSize(FONT_SIZE).fillColor('black')
    doc.x = MARGINS.left
    doc.moveDown(1)
    return this
  }

  /** A smaller grey paragraph for notes and instructions at the end of a letter. */
  note(text: string): this {
    this.#doc
      .font('regular')
      .fontSize(SMALL_SIZE)
      .fillColor(GREY)
      .text(text, MARGINS.left, this.#doc.y, {
        width: this.#width,
        align: 'justify',
        paragraphGap: SMALL_SIZE * 0.5,
        lineGap: 1,
      })
    this.#doc.fillColor('black').fontSize(FONT_SIZE)
    return this
  }

  /** Starts the next content on a new page. */
  pageBreak(): this {
    this.#doc.addPage()
    return this
  }

  #footers(): void {
    const doc = this.#doc
    const { start, count } = doc.bufferedPageRange()
    for (let index = start; index < start + count; index++) {
      doc.switchToPage(index)
      // Writing below the bottom margin would make pdfkit open a new page.
      const margins = doc.page.margins
      doc.page.margins = { ...margins, bottom: 0 }
      const y = doc.page.height - MARGINS.bottom + 24
      doc
        .moveTo(MARGINS.left, y - 6)
        .lineTo(MARGINS.left + this.#width, y - 6)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke()
      doc.font('regular').fontSize(SMALL_SIZE).fillColor(GREY)
      doc.text(this.#office.name, MARGINS.left, y, {
        width: this.#width * 0.7,
        height: SMALL_SIZE * 1.4,
        ellipsis: true,
      })
      doc.text(`Strona ${index - start + 1} z ${count}`, MARGINS.left, y, {
        width: this.#width,
        align: 'right',
        lineBreak: false,
      })
      doc.page.margins = margins
    }
  }

  /** Finishes the document; call once, nothing can be added afterwards. */
  toBuffer(): Promise<Buffer> {
    if (!this.#finished) {
      this.#finished = true
      this.#footers()
      this.#doc.end()
    }
    return this.#ended
  }
}

/*
 * The payment decision as a letter (nakaz płatniczy / decyzja): addressee,
 * legal basis, calculation basis, installments, payment data with the QR code,
 * the e-BOK access code, instruction on appeal and the signature. The file is
 * kept in the data directory; a missing file is printed again.
 */
import db from '@adonisjs/lucid/services/db'
import { nextWorkingDay } from '#core/services/calendar'
import officeProfileService from '#core/services/office_profile_service'
import { formatDate, polishDate } from '#core/services/formatting'
import { formatMoney, roundToZloty } from '#core/services/money'
import { PdfDocument } from '#core/services/pdf_document'
import { formatScaled } from '#fees/services/assessment_calculation'
import {
  TAX_LABELS,
  UNIT_LABELS,
  findCategory,
  type BaseUnit,
  type TaxKind,
} from '#fees/services/tax_categories'
import { taxpayers } from '#fees/services/taxpayers'
import {
  jointLiabilitySentence,
  printAddressee,
  printPaymentBlock,
  keptDocument,
  taxAuthority,
} from '#fees/services/letters'

export class DecisionNotFoundError extends Error {
  constructor(readonly assessmentId: number) {
    super(`Assessment ${assessmentId} not found`)
  }
}

const TAXES: TaxKind[] = ['property', 'agricultural', 'forest']

/** "12,5000 m²" for a base; value-based bases are złoty. */
function baseText(baseE4: number, unit: string) {
  return `${formatScaled(baseE4, 2)} ${UNIT_LABELS[unit as BaseUnit] ?? unit}`
}

/** Rate per unit, or a percentage for value-based bases (rate_e4 is then a fraction × 10^4). */
function rateText(rateE4: number, unit: string) {
  if (unit === 'value') return `${formatScaled(rateE4 * 100, 0)} %`
  return `${formatScaled(rateE4, 2)} zł/${UNIT_LABELS[unit as BaseUnit] ?? unit}`
}

/** An object taxed for part of the year: base × rate × months/12 = amount. */
function partOfYear(rate: string, months: number) {
  return months > 0 && months < 12 ? `${rate}\n× ${months}/12 roku` : rate
}

/** Why an installment is due on another day than the statute says. */
function dueNote(installment: { statutoryDue: string; due: string }) {
  if (installment.due === installment.statutoryDue) return ''
  if (nextWorkingDay(installment.statutoryDue) === installment.due)
    return `przesunięty z ${formatDate(installment.statutoryDue)} (dzień wolny od pracy)`
  return `14 dni od doręczenia decyzji (termin ustawowy ${formatDate(installment.statutoryDue)})`
}

function legalBasis(kind: string, resolutions: string[]): string {
  const councilRates = resolutions.length
    ? `, ${resolutions.length > 1 ? 'uchwał' : 'uchwały'} Rady Gminy: ${resolutions.join('; ')}`
    : ''
  if (kind === 'waste')
    return (
      'Na podstawie art. 6m i art. 6n ustawy z dnia 13 września 1996 r. o utrzymaniu czystości ' +
      'i porządku w gminach, art. 21 § 1 pkt 2, art. 207 i art. 210 ustawy z dnia 29 sierpnia ' +
      `1997 r. – Ordynacja podatkowa${councilRates}`
    )
  return (
    'Na podstawie art. 6c ustawy z dnia 12 stycznia 1991 r. o podatkach i opłatach lokalnych, ' +
    'ustawy z dnia 15 listopada 1984 r. o podatku rolnym, ustawy z dnia 30 października 2002 r. ' +
    'o podatku leśnym oraz art. 21 § 1 pkt 2, art. 207 i art. 210 ustawy z dnia 29 sierpnia ' +
    `1997 r. – Ordynacja podatkowa${councilRates}`
  )
}

/** Prints the decision; the stored file is returned when it exists unless `regenerate`. */
export async function decisionPdf(
  assessmentId: number,
  options: { regenerate?: boolean } = {}
): Promise<Buffer> {
  const assessment = await db.from('fees_assessments').where('id', assessmentId).first()
  if (!assessment) throw new DecisionNotFoundError(assessmentId)
  return keptDocument({
    folder: 'decisions',
    table: 'fees_assessments',
    row: assessment,
    regenerate: options.regenerate,
    render: () => renderDecision(assessment),
    touch: { updated_at: new Date() },
  })
}

async function renderDecision(assessment: any): Promise<Buffer> {
  const taxpayerId = Number(assessment.taxpayer_id)
  const [taxpayer, office, lineRows, installmentRows, replaced, signer, rateRows, accessCode] =
    await Promise.all([
      taxpayers.find(taxpayerId),
      officeProfileService.get(),
      db.from('fees_assessment_lines').where('assessment_id', assessment.id).orderBy('position'),
      db.from('fees_installments').where('assessment_id', assessment.id).orderBy('number'),
      assessment.replaces_id
        ? db.from('fees_assessments').where('id', assessment.replaces_id).first()
        : null,
      assessment.issued_by_staff_id
        ? db
            .from('staff_users')
            .where('id', assessment.issued_by_staff_id)
            .select('full_name')
            .first()
        : null,
      db
        .from('fees_tax_rates')
        .where('year', assessment.year)
        .whereNotNull('resolution')
        .distinct('resolution')
        .orderBy('resolution'),
      taxpayers.accessCode(taxpayerId),
    ])
  if (!taxpayer || !office) throw new DecisionNotFoundError(Number(assessment.id))
  const members = taxpayer.kind === 'joint' ? await taxpayers.members(taxpayerId) : []
  const authority = taxAuthority(office.name)
  const year = Number(assessment.year)
  const isTax = ['property-individual', 'legal-person-monthly'].includes(assessment.kind)
  const combined = assessment.kind === 'property-individual'
  const correction = Boolean(replaced)

  const pdf = new PdfDocument({
    title: `${combined && !correction ? 'Nakaz płatniczy' : 'Decyzja'} ${assessment.number}`,
    subject: assessment.title,
    office,
    createdAt: new Date(`${assessment.issued_on}T08:00:00Z`),
  })
  pdf.caseSign(`Znak sprawy: ${assessment.number}`).placeAndDate(assessment.issued_on)
  printAddressee(pdf, taxpayer, members)

  const heading = correction ? 'DECYZJA ZMIENIAJĄCA' : combined ? 'NAKAZ PŁATNICZY' : 'DECYZJA'
  pdf.title(`${heading}\nnr ${assessment.number}`)
  const what = combined
    ? `łącznego zobowiązania pieniężnego na rok ${year}`
    : isTax
      ? `podatku od nieruchomości na rok ${year}`
      : `${String(assessment.title).toLowerCase()}`
  pdf.paragraph(
    `${legalBasis(
      assessment.kind,
      rateRows.map((row) => String(row.resolution))
    )} ` +
      `${authority.nominative} ${correction ? 'zmienia wymiar' : 'ustala wymiar'} ${what} ` +
      `w wysokości ${formatMoney(Number(assessment.total_gr))}.`
  )
  if (replaced)
    pdf.paragraph(
      `Niniejsza decyzja zmienia decyzję nr ${replaced.number} z dnia ${polishDate(replaced.issued_on)} ` +
        `od dnia ${polishDate(assessment.effective_from ?? assessment.issued_on)} Raty, których ` +
        `termin płatności upłynął przed tą datą, pozostają bez zmian; kwoty pozostałych rat ` +
        `wynikają z nowego wymiaru.`
    )
  if (members.length) pdf.paragraph(jointLiabilitySentence(members, 'całe zobowiązanie'))

  const lines = lineRows.map((row) => ({
    tax: row.tax as string,
    category: findCategory(row.category)?.label ?? String(row.category),
    description: String(row.description),
    base: baseText(Number(row.base_e4), row.unit),
    rate: partOfYear(rateText(Number(row.rate_e4), row.unit), Number(row.months ?? 12)),
    amountGr: Number(row.amount_gr),
  }))
  const columns = [
    { header: 'Przedmiot opodatkowania', width: 3.2 },
    { header: 'Kategoria', width: 3 },
    { header: 'Podstawa', width: 1.7, align: 'right' as const },
    { header: 'Stawka', width: 1.6, align: 'right' as const },
    { header: 'Kwota', width: 1.6, money: true },
  ]
  const summary: [string, number][] = []
  for (const tax of TAXES) {
    const taxLines = lines.filter((line) => line.tax === tax)
    if (taxLines.length === 0) continue
    const subtotalGr = roundToZloty(taxLines.reduce((sum, line) => sum + line.amountGr, 0))
    summary.push([TAX_LABELS[tax], subtotalGr])
    pdf.table(
      columns,
      taxLines.map((line) => [
        line.description,
        line.category,
        line.base,
        line.rate,
        line.amountGr,
      ]),
      {
        caption: `Podstawa obliczenia: ${TAX_LABELS[tax].toLowerCase()}`,
        totalRow: ['Razem', 'po zaokrągleniu do pełnych złotych', '', '', subtotalGr],
      }
    )
  }
  const other = lines.filter((line) => !TAXES.includes(line.tax as TaxKind))
  if (other.length)
    pdf.table(
      columns,
      other.map((line) => [line.description, line.category, line.base, line.rate, line.amountGr]),
      { caption: 'Podstawa obliczenia' }
    )
  if (summary.length > 1 || combined)
    pdf.table(
      [
        { header: 'Składnik zobowiązania', width: 4 },
        { header: 'Kwota', width: 1.6, money: true },
      ],
      summary,
      {
        caption: combined ? 'Łączne zobowiązanie pieniężne' : 'Podsumowanie',
        totalRow: [
          combined ? 'Łączne zobowiązanie pieniężne' : 'Razem',
          Number(assessment.total_gr),
        ],
      }
    )

  const installments = installmentRows.map((row) => ({
    number: Number(row.number),
    statutoryDue: String(row.statutory_due),
    due: String(row.due),
    amountGr: Number(row.amount_gr),
  }))
  pdf.table(
    [
      { header: 'Rata', width: 0.8 },
      { header: 'Termin płatności', width: 2 },
      { header: 'Uwagi', width: 3.4 },
      { header: 'Kwota raty', width: 1.6, money: true },
    ],
    installments.map((installment) => [
      installment.number,
      formatDate(installment.due),
      dueNote(installment),
      installment.amountGr,
    ]),
    {
      caption: 'Terminy płatności rat',
      totalRow: ['', '', 'Razem', Number(assessment.total_gr)],
    }
  )

  const first = installments.find((installment) => installment.amountGr > 0)
  if (first)
    await printPaymentBlock(pdf, office, taxpayer, {
      intro:
        'Wpłat należy dokonywać na indywidualny rachunek podatnika podany poniżej: każda wpłata ' +
        'na ten rachunek trafia na Pani/Pana konto. W tytule przelewu prosimy podać numer ' +
        'decyzji i numer raty.',
      amountGr: first.amountGr,
      title: `${assessment.number} rata ${first.number}`,
      qrCaption: `Kod QR do przelewu raty ${first.number}`,
    })

  if (accessCode) {
    pdf.paragraph(`Kod dostępu do e-BOK: ${accessCode}`, { bold: true, align: 'left' })
    pdf.paragraph(
      'Po założeniu konta w elektronicznym biurze obsługi interesantów (e-BOK) wpisz ten kod, ' +
        'aby widzieć swoje podatki i opłaty, raty, wpłaty i zaległości oraz płacić online. ' +
        'Nie przekazuj kodu innym osobom.'
    )
  }

  pdf.paragraph('Pouczenie', { bold: true, align: 'left' })
  pdf.note(
    `Od niniejszej decyzji służy odwołanie do Samorządowego Kolegium Odwoławczego za ` +
      `pośrednictwem ${authority.genitive} w terminie 14 dni od dnia jej doręczenia ` +
      `(art. 220–223 ustawy – Ordynacja podatkowa). Odwołanie powinno zawierać zarzuty wobec ` +
      `decyzji, określać istotę i zakres żądania oraz dowody uzasadniające żądanie.`
  )
  pdf.note(
    `Zobowiązanie powstaje z dniem doręczenia decyzji (art. 21 § 1 pkt 2 Ordynacji ` +
      `podatkowej). Od kwot niezapłaconych w terminie nalicza się odsetki za zwłokę (art. 53 ` +
      `Ordynacji podatkowej). Niezapłacenie raty w terminie może spowodować wystawienie ` +
      `upomnienia z kosztami, a następnie tytułu wykonawczego i wszczęcie egzekucji ` +
      `administracyjnej. Termin przypadający w sobotę lub dzień wolny od pracy przesuwa się na ` +
      `najbliższy dzień roboczy (art. 12 § 5 Ordynacji podatkowej).`
  )
  pdf.signature([
    `z up. ${authority.genitive}`,
    signer?.full_name ?? '',
    '(podpis osoby upoważnionej)',
  ])
  pdf.note(
    `Otrzymują: ${members.length ? members.map((m) => m.name).join(', ') : taxpayer.name} ` +
      `(adresat), a/a.`
  )
  return pdf.toBuffer()
}

/*
 * The recovery sheet for the office safe: where the backups are, the repository password
 * and the restore steps in Polish. The password appears only on this sheet (never in a page,
 * a log or the CLI output), so the PDF is written 0600 and the administrator is told to
 * print it and delete the file.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import ratuszConfig from '#config/ratusz'
import applianceConfig from '#config/appliance'
import officeProfileService from '#core/services/office_profile_service'
import { PdfDocument, type LetterheadData } from '#core/services/pdf_document'
import { todayInWarsaw } from '#core/services/calendar'

/** Characters a person retyping the password from paper easily confuses. */
const LOOKALIKES: [string, string][] = [
  ['l', 'małe L'],
  ['I', 'duże i'],
  ['1', 'jedynka'],
  ['0', 'zero'],
  ['O', 'duże o'],
  ['-', 'minus'],
  ['_', 'podkreślenie'],
]

export interface RecoverySheetRepository {
  label: string
  location: string
  passwordFile: string
}

/** Where the sheet goes unless --output says otherwise: tmp/ of the data dir is never backed up. */
export function defaultSheetPath(date: string) {
  return join(ratuszConfig.dataDir, 'tmp', `karta-odtworzeniowa-${date}.pdf`)
}

async function readPassword(file: string) {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new Error(
      `The backup password file ${file} is missing or unreadable (run 'ratusz install' or 'ratusz backup run' first).`
    )
  }
  const password = text.trim()
  if (!password) throw new Error(`The backup password file ${file} is empty.`)
  return password
}

function repositories(): RecoverySheetRepository[] {
  const backup = applianceConfig.backup
  const list: RecoverySheetRepository[] = [
    {
      label: 'Repozytorium główne (dysk w innym pomieszczeniu)',
      location: backup.repository,
      passwordFile: backup.passwordFile,
    },
  ]
  if (backup.partnerRepository) {
    list.push({
      label: 'Repozytorium gminy partnerskiej',
      location: backup.partnerRepository,
      passwordFile: backup.partnerPasswordFile || backup.passwordFile,
    })
  }
  return list
}

/** Before the setup wizard there is no profile; the sheet still prints, with blanks to fill. */
function letterhead(profile: LetterheadData | null): LetterheadData {
  if (profile) return profile
  const blank = '…………'
  return {
    name: 'Urząd (dane urzędu nieuzupełnione w Ratuszu)',
    street: blank,
    postalCode: '',
    city: blank,
    nip: blank,
    regon: blank,
    phone: blank,
    email: blank,
  }
}

export async function renderRecoverySheet(date = todayInWarsaw()): Promise<Buffer> {
  const repos = repositories()
  const passwords = new Map<string, string>()
  for (const repo of repos) {
    if (!passwords.has(repo.passwordFile))
      passwords.set(repo.passwordFile, await readPassword(repo.passwordFile))
  }
  const office = letterhead(await officeProfileService.get())
  const pdf = new PdfDocument({
    title: 'Karta odtworzeniowa kopii zapasowych Ratusza',
    subject: 'Hasło i lokalizacja kopii zapasowych – do sejfu urzędu',
    office,
  })
  pdf.placeAndDate(date, office.city === '…………' ? 'Miejscowość' : office.city)
  pdf.title('Karta odtworzeniowa kopii zapasowych systemu Ratusz')
  pdf.paragraph(
    'POUFNE. Przechowywać w sejfie urzędu. Kto ma tę kartę i dostęp do dysku z kopiami, może ' +
      'odczytać wszystkie dane urzędu. Bez hasła z tej karty kopii nie da się odtworzyć.',
    { bold: true }
  )
  pdf.table(
    [
      { header: 'Repozytorium', width: 3 },
      { header: 'Lokalizacja', width: 4 },
      { header: 'Plik z hasłem na serwerze', width: 3 },
    ],
    repos.map((r) => [r.label, r.location, r.passwordFile]),
    { caption: 'Gdzie są kopie zapasowe' }
  )
  for (const [file, password] of passwords) {
    const used = repos.filter((r) => r.passwordFile === file)
    pdf.paragraph(
      used.length === repos.length
        ? 'Hasło repozytorium:'
        : `Hasło: ${used.map((r) => r.label.toLowerCase()).join(', ')}:`
    )
    pdf.paragraph(password, { bold: true, align: 'left' })
    const lookalikes = LOOKALIKES.filter(([char]) => password.includes(char))
    if (lookalikes.length) {
      pdf.note(
        `Uwaga na podobne znaki: ${lookalikes.map(([c, name]) => `${c} – ${name}`).join(', ')}.`
      )
    }
  }
  pdf.paragraph('Jak odtworzyć dane (na tym samym lub nowym serwerze z Debianem 12):', {
    bold: true,
  })
  const steps = [
    'Zainstaluj Ratusz poleceniem „ratusz install” (na nowym serwerze: appliance/install.sh z wydania).',
    'Podłącz i zamontuj dysk z kopiami w miejscu podanym wyżej albo wpisz inne położenie ' +
      'repozytorium w RATUSZ_BACKUP_REPOSITORY w pliku /etc/ratusz/ratusz.env. Gdy dysku nie ma, ' +
      'użyj repozytorium gminy partnerskiej.',
    'Zapisz hasło z tej karty do pliku z hasłem (jedna linia, właściciel ratusz, uprawnienia 0600).',
    'Sprawdź, że kopie są widoczne: „ratusz backup list”.',
    'Odtwórz najnowszą kopię: „ratusz restore latest --in-place” (usługi zostaną zatrzymane, ' +
      'dane podmienione, migracje wykonane, usługi uruchomione ponownie).',
    'Na nowym serwerze przepisz APP_KEY z pliku backup-staging/secrets.env kopii ' +
      '(„ratusz restore latest --target /root/odtworzenie”) do /etc/ratusz/ratusz.env ' +
      'i uruchom ponownie usługi – bez niego logowanie kodami TOTP nie zadziała.',
    'Sprawdź serwer: „ratusz doctor” i „ratusz backup drill”.',
  ]
  steps.forEach((step, index) => pdf.paragraph(`${index + 1}. ${step}`, { align: 'left' }))
  pdf.note(
    'Po zmianie hasła repozytorium lub położenia kopii wydrukuj nową kartę i zniszcz starą. ' +
      'Plik PDF tej karty usuń z serwera zaraz po wydrukowaniu.'
  )
  pdf.signature(['Kartę złożył(a) w sejfie:', '……………………………………', 'data i podpis'])
  return pdf.toBuffer()
}

/** Writes the sheet 0600 (also over an existing file, which may have been more open). */
export async function writeRecoverySheet(output?: string) {
  const date = todayInWarsaw()
  const path = output ?? defaultSheetPath(date)
  const bytes = await renderRecoverySheet(date)
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  await writeFile(path, bytes, { mode: 0o600 })
  await chmod(path, 0o600)
  return { path, bytes: bytes.length }
}

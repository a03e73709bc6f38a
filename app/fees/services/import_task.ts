/*
 * The CSV import of the register runs as a background task: 80,000 rows take
 * about a minute, which a request must not hold (the SQLite driver is
 * synchronous). The request checks the upload and keeps the file under the
 * data directory with a generated name; the task imports it in small
 * transactions, reports progress per batch, records the audit entry, stores
 * the row-by-row report (the page in fees_imports and a CSV download) and
 * removes the uploaded file however it ends.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join, normalize, sep } from 'node:path'
import ratuszConfig from '#config/ratusz'
import auditLog, { type AuditActor } from '#core/services/audit_log'
import {
  TaskFailure,
  type BackgroundTask,
  type BackgroundTaskKind,
} from '#core/services/background_tasks'
import {
  ImportFileError,
  importFeesFile,
  type ImportEncoding,
  type ImportKind,
  type ImportReport,
} from '#fees/services/fees_import'
import { toCsv } from '#fees/services/reports'

export interface ImportTaskParams {
  kind: ImportKind
  /** The uploaded file, relative to the data directory (uploads/import-<uuid>.csv). */
  file: string
  fileName: string
  encoding: ImportEncoding
  skipInvalid: boolean
  /** Who sent the file, for the audit entry the task writes. */
  actor: AuditActor
  ip: string | null
}

export const IMPORT_TASK = 'fees.import'
const UPLOADS_DIR = 'uploads'

export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  taxpayers: 'Podatnicy i przedmioty opodatkowania',
  payments: 'Wpłaty i salda otwarcia',
}

/** Keeps an uploaded file for the task, outside the web root, under a name nobody chose. */
export async function keepUpload(bytes: Uint8Array): Promise<string> {
  const relative = join(UPLOADS_DIR, `import-${randomUUID()}.csv`)
  await mkdir(join(ratuszConfig.dataDir, UPLOADS_DIR), { recursive: true, mode: 0o750 })
  await writeFile(join(ratuszConfig.dataDir, relative), bytes, { mode: 0o640 })
  return relative
}

/** The absolute path of a kept upload, or null when the stored path leaves the uploads folder. */
export function uploadPath(relative: string): string | null {
  const clean = normalize(relative)
  if (!clean.startsWith(UPLOADS_DIR + sep) || clean.includes('..')) return null
  return join(ratuszConfig.dataDir, clean)
}

const count = (value: number) => value.toLocaleString('pl-PL')

export function importReportCsv(report: ImportReport): string {
  return toCsv(
    ['wiersz', 'pole', 'komunikat'],
    report.issues.map((issue) => [issue.line, issue.field, issue.message])
  )
}

export const importTask: BackgroundTaskKind<ImportTaskParams> = {
  kind: IMPORT_TASK,
  ability: 'manageTaxes',
  title: (params) => `Import pliku ${params.fileName} (${IMPORT_KIND_LABELS[params.kind]})`,
  async run(task) {
    const path = uploadPath(task.params.file)
    try {
      const bytes = path ? await readFile(path).catch(() => null) : null
      if (!bytes)
        throw new TaskFailure('Przesłanego pliku nie ma już na serwerze. Wyślij plik ponownie.')
      await task.progress(0, 0, 'Sprawdzanie wierszy pliku i porównanie z ewidencją.')
      const { id, report } = await importFeesFile({
        kind: task.params.kind,
        bytes,
        fileName: task.params.fileName,
        skipInvalid: task.params.skipInvalid,
        staffId: task.ownerId,
        onProgress: (done, total) =>
          task.progress(done, total, `Zaimportowano ${count(done)} z ${count(total)} wierszy.`),
      }).catch((error) => {
        if (error instanceof ImportFileError) throw new TaskFailure(error.message)
        throw error
      })
      await auditLog.record({
        actor: task.params.actor,
        ip: task.params.ip,
        action: 'fees.imported',
        subjectType: 'fees_import',
        subjectId: id,
        details: {
          kind: report.kind,
          rows: report.rowsTotal,
          imported: report.rowsImported,
          rejected: report.rowsRejected,
          written: report.written,
        },
      })
      Object.assign(task.summary, {
        importId: id,
        written: report.written,
        rowsTotal: report.rowsTotal,
        rowsImported: report.rowsImported,
        rowsRejected: report.rowsRejected,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
      })
      await task.saveResult(
        `raport-importu-${id}.csv`,
        'text/csv; charset=utf-8',
        importReportCsv(report)
      )
    } finally {
      if (path) await rm(path, { force: true })
    }
  },
  facts(task: BackgroundTask) {
    const summary = task.summary
    const payments = task.params.kind === 'payments'
    return [
      {
        label: 'Wynik',
        value: summary.written
          ? 'Zapisano poprawne wiersze.'
          : 'Niczego nie zapisano: plik zawiera błędy.',
      },
      { label: 'Wiersze w pliku', value: count(summary.rowsTotal) },
      { label: 'Zaimportowane wiersze', value: count(summary.rowsImported) },
      { label: 'Odrzucone wiersze', value: count(summary.rowsRejected) },
      {
        label: payments ? 'Zaksięgowane wpłaty' : 'Nowi podatnicy',
        value: count(summary.created),
      },
      ...(payments ? [] : [{ label: 'Zmienieni podatnicy', value: count(summary.updated) }]),
      {
        label: payments ? 'Wpłaty zaksięgowane wcześniej' : 'Podatnicy bez zmian',
        value: count(summary.unchanged),
      },
    ]
  },
  links: (task) => [
    {
      href: `/panel/podatki/import/${task.summary.importId}`,
      label: 'Pokaż raport importu wiersz po wierszu',
    },
  ],
}

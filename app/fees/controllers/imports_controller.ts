import { readFile } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import auditLog from '#core/services/audit_log'
import {
  IMPORT_MAX_BYTES,
  ImportFileError,
  findImport,
  importFeesFile,
  recentImports,
  type ImportKind,
} from '#fees/services/fees_import'
import { backWithFieldError, idParam, notFound } from '#fees/controllers/clerk_support'

const KIND_LABELS: Record<ImportKind, string> = {
  taxpayers: 'Podatnicy i przedmioty opodatkowania',
  payments: 'Wpłaty i salda otwarcia',
}

/** Import of CSV files from the previous system, with a row-by-row report. */
export default class ImportsController {
  async create({ view, bouncer }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    return view.render('fees/import/form', {
      imports: await recentImports(),
      kindLabels: KIND_LABELS,
      maxMb: IMPORT_MAX_BYTES / 1024 / 1024,
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const { request, response } = ctx
    const kind = request.input('rodzaj') as ImportKind
    if (!(kind in KIND_LABELS))
      return backWithFieldError(ctx, 'rodzaj', 'Wybierz, co zawiera plik.')
    const file = request.file('plik', { size: IMPORT_MAX_BYTES, extnames: ['csv', 'txt'] })
    if (!file || !file.tmpPath) {
      if (file?.errors.some((error) => error.type === 'size')) return this.#tooLarge(ctx)
      return backWithFieldError(ctx, 'plik', 'Wybierz plik CSV do zaimportowania.')
    }
    if (file.errors.some((error) => error.type === 'size')) return this.#tooLarge(ctx)
    if (file.hasErrors)
      return backWithFieldError(ctx, 'plik', 'Dozwolone są tylko pliki CSV (.csv lub .txt).')
    try {
      const { id, report } = await importFeesFile({
        kind,
        bytes: await readFile(file.tmpPath),
        fileName: file.clientName,
        skipInvalid: request.input('pominBledne') === '1',
        staffId: ctx.auth.use('staff').user?.id ?? null,
      })
      await auditLog.recordFromRequest(ctx, {
        action: 'fees.imported',
        subjectType: 'fees_import',
        subjectId: id,
        details: {
          kind,
          rows: report.rowsTotal,
          imported: report.rowsImported,
          rejected: report.rowsRejected,
          written: report.written,
        },
      })
      return response.redirect().toRoute('fees.imports.show', { id })
    } catch (error) {
      if (error instanceof ImportFileError) return backWithFieldError(ctx, 'plik', error.message)
      throw error
    }
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const report = await findImport(idParam(ctx))
    if (!report) notFound()
    return ctx.view.render('fees/import/show', {
      id: idParam(ctx),
      report,
      kindLabel: KIND_LABELS[report.kind],
    })
  }

  async #tooLarge({ response, view }: HttpContext) {
    response.status(413)
    return view.render('core/errors/too_large')
  }
}

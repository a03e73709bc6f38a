import { readFile, rm } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import { actorFrom } from '#core/services/audit_log'
import { backgroundTasks } from '#core/services/background_tasks'
import {
  IMPORT_MAX_BYTES,
  EMPTY_FILE_MESSAGE,
  ImportFileError,
  checkImportUpload,
  findImport,
  recentImports,
  type ImportEncoding,
  type ImportKind,
} from '#fees/services/fees_import'
import {
  IMPORT_KIND_LABELS as KIND_LABELS,
  IMPORT_TASK,
  keepUpload,
  uploadPath,
  type ImportTaskParams,
} from '#fees/services/import_task'
import { backWithFieldError, idParam, notFound } from '#fees/controllers/clerk_support'

/**
 * Import of CSV files from the previous system, with a row-by-row report. The
 * request checks the upload and starts a background task that imports it.
 */
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
    const kind = String(request.input('rodzaj', '')) as ImportKind
    /* Own keys only: `constructor` or `toString` are not kinds of file (they gave a 500). */
    if (!Object.hasOwn(KIND_LABELS, kind))
      return backWithFieldError(ctx, 'rodzaj', 'Wybierz, co zawiera plik.')
    const file = request.file('plik', { size: IMPORT_MAX_BYTES, extnames: ['csv', 'txt'] })
    /* A chosen file with nothing in it (an unchosen one has no name). */
    if (file?.clientName && file.size === 0)
      return backWithFieldError(ctx, 'plik', EMPTY_FILE_MESSAGE)
    if (!file || !file.tmpPath) {
      if (file?.errors.some((error) => error.type === 'size')) return this.#tooLarge(ctx)
      return backWithFieldError(ctx, 'plik', 'Wybierz plik CSV do zaimportowania.')
    }
    if (file.errors.some((error) => error.type === 'size')) return this.#tooLarge(ctx)
    if (file.hasErrors)
      return backWithFieldError(ctx, 'plik', 'Dozwolone są tylko pliki CSV (.csv lub .txt).')
    const bytes = await readFile(file.tmpPath)
    let encoding: ImportEncoding
    try {
      encoding = checkImportUpload(kind, bytes)
    } catch (error) {
      if (error instanceof ImportFileError) return backWithFieldError(ctx, 'plik', error.message)
      throw error
    }
    const params: ImportTaskParams = {
      kind,
      file: await keepUpload(bytes),
      fileName: file.clientName.slice(0, 200),
      encoding,
      skipInvalid: request.input('pominBledne') === '1',
      actor: actorFrom(ctx),
      ip: request.ip(),
    }
    try {
      const id = await backgroundTasks.start(IMPORT_TASK, ctx.auth.use('staff').user!.id, {
        ...params,
      })
      return response.redirect().toRoute('staff.tasks.show', { id })
    } catch (error) {
      await rm(uploadPath(params.file)!, { force: true })
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

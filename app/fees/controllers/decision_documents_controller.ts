import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { decisionPdf, DecisionNotFoundError } from '#fees/services/decision_pdf'
import { sendPdf } from '#fees/controllers/pdf_response'

export default class DecisionDocumentsController {
  /** The decision letter for the clerk: the stored copy, printed again only when missing. */
  async show({ bouncer, params, response }: HttpContext) {
    await bouncer.authorize('viewTaxes')
    const id = Number(params.id)
    if (!Number.isSafeInteger(id) || id <= 0)
      throw new Exception('Decision not found', { status: 404, code: 'E_NOT_FOUND' })
    try {
      const pdf = await decisionPdf(id)
      return sendPdf(response, pdf, `decyzja-${id}.pdf`)
    } catch (error) {
      if (error instanceof DecisionNotFoundError)
        throw new Exception('Decision not found', { status: 404, code: 'E_NOT_FOUND' })
      throw error
    }
  }
}

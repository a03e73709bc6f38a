import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { decisionPdf, DecisionNotFoundError } from '#fees/services/decision_pdf'
import { sendPdf } from '#fees/controllers/pdf_response'
import { idParam, notFound } from '#fees/controllers/clerk_support'
import { visibleTaxpayerOr404 } from '#fees/controllers/resident_support'

export default class ResidentDecisionsController {
  /** The decision letter of one of the resident's taxpayer accounts; anyone else's is a 404. */
  async pdf(ctx: HttpContext) {
    const id = idParam(ctx)
    const assessment = await db
      .from('fees_assessments')
      .where('id', id)
      .select('taxpayer_id', 'number')
      .first()
    if (!assessment) notFound()
    await visibleTaxpayerOr404(ctx, Number(assessment.taxpayer_id))
    try {
      const pdf = await decisionPdf(id)
      const fileName = `decyzja-${String(assessment.number).replace(/[^\w.-]+/g, '_')}.pdf`
      return sendPdf(ctx.response, pdf, fileName)
    } catch (error) {
      if (error instanceof DecisionNotFoundError) notFound()
      throw error
    }
  }
}

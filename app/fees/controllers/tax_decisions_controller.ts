import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { auditContextFrom } from '#core/services/audit_log'
import { todayInWarsaw } from '#core/services/calendar'
import { accountStatement } from '#fees/services/account_statement'
import {
  AssessmentError,
  correctTaxDecision,
  issueTaxDecision,
  previewTaxDecision,
  recordDelivery,
} from '#fees/services/assessments'
import { CalculationError } from '#fees/services/assessment_calculation'
import { installmentSchedule } from '#fees/services/installment_schedule'
import { UNIT_LABELS } from '#fees/services/tax_categories'
import { taxpayers } from '#fees/services/taxpayers'
import {
  clerkMessages,
  correctionValidator,
  deliveryValidator,
  issueDecisionValidator,
} from '#fees/validators/clerk_validators'
import {
  backWithFieldError,
  flashSuccess,
  idParam,
  notFound,
  taxpayerOr404,
} from '#fees/controllers/clerk_support'

const TAX_DECISION_KINDS = ['property-individual', 'legal-person-monthly']

/** Yearly tax decisions (wymiar podatku): preview, issue, delivery, correction. */
export default class TaxDecisionsController {
  /** Choose a year, see the calculation basis and the installment plan before issuing. */
  async create(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const today = todayInWarsaw()
    const requested = Number(ctx.request.qs().rok)
    const year =
      Number.isInteger(requested) && requested >= 2000 && requested <= 2100
        ? requested
        : Number(today.slice(0, 4))
    let preview = null
    let previewError: string | null = null
    let plan: { number: number; due: string; amountGr: number }[] = []
    try {
      preview = await previewTaxDecision(taxpayer.id, year)
      plan = installmentSchedule({
        kind: taxpayer.kind === 'business' ? 'legal-person-monthly' : 'property-individual',
        year,
        totalGr: preview.totalGr,
      })
    } catch (error) {
      if (!(error instanceof CalculationError)) throw error
      previewError = error.message
    }
    const existing = await db
      .from('fees_assessments')
      .where({ taxpayer_id: taxpayer.id, year, status: 'active' })
      .whereIn('kind', TAX_DECISION_KINDS)
      .select('id', 'number')
      .first()
    return ctx.view.render('fees/clerk/decision_new', {
      taxpayer,
      year,
      today,
      preview,
      previewError,
      plan,
      existing,
      unitLabels: UNIT_LABELS,
    })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const data = await ctx.request.validateUsing(issueDecisionValidator, {
      messagesProvider: clerkMessages,
    })
    let issued: { assessmentId: number; accessCode: string }
    try {
      issued = await issueTaxDecision({
        taxpayerId: taxpayer.id,
        year: data.year,
        issuedOn: data.issuedOn,
        deliveredOn: data.deliveredOn ?? null,
        staffId: ctx.auth.use('staff').user?.id ?? null,
        audit: auditContextFrom(ctx),
      })
    } catch (error) {
      if (error instanceof AssessmentError || error instanceof CalculationError)
        return backWithFieldError(ctx, error.field === 'year' ? 'year' : 'issuedOn', error.message)
      throw error
    }
    /* Shown once on the next page; it is printed on the decision, never stored in clear in the session after that. */
    ctx.session.flash('issuedAccessCode', issued.accessCode)
    return ctx.response.redirect().toRoute('fees.decisions.show', { id: issued.assessmentId })
  }

  async show(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const row = (await db.from('fees_assessments').where('id', idParam(ctx)).first()) ?? notFound()
    const taxpayer = (await taxpayers.find(Number(row.taxpayer_id))) ?? notFound()
    const today = todayInWarsaw()
    const asOf = row.issued_on > today ? row.issued_on : today
    const statement = (await accountStatement(taxpayer.id, asOf)) ?? notFound()
    const assessment = statement.assessments.find((item) => item.id === Number(row.id)) ?? null
    const replacedBy = assessment
      ? null
      : await db
          .from('fees_assessments')
          .where('replaces_id', row.id)
          .select('id', 'number')
          .first()
    return ctx.view.render('fees/clerk/decision_show', {
      taxpayer,
      decision: {
        id: Number(row.id),
        number: row.number,
        title: row.title,
        year: Number(row.year),
        status: row.status,
        issuedOn: row.issued_on,
        deliveredOn: row.delivered_on,
        isTax: TAX_DECISION_KINDS.includes(row.kind),
      },
      assessment,
      replacedBy,
      today,
      accessCode: ctx.session.flashMessages.get('issuedAccessCode') ?? null,
    })
  }

  async delivery(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const id = idParam(ctx)
    const row = (await db.from('fees_assessments').where('id', id).first()) ?? notFound()
    const { deliveredOn } = await ctx.request.validateUsing(deliveryValidator, {
      messagesProvider: clerkMessages,
    })
    if (deliveredOn < row.issued_on)
      return backWithFieldError(
        ctx,
        'deliveredOn',
        'Data doręczenia nie może być wcześniejsza niż data wydania decyzji.'
      )
    await recordDelivery(id, deliveredOn, auditContextFrom(ctx))
    flashSuccess(ctx, 'Zapisano datę doręczenia. Terminy rat zostały przeliczone.')
    return ctx.response.redirect().toRoute('fees.decisions.show', { id })
  }

  async correct(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const id = idParam(ctx)
    const decision = await db.from('fees_assessments').where('id', id).first()
    if (!decision) notFound()
    const data = await ctx.request.validateUsing(correctionValidator, {
      messagesProvider: clerkMessages,
    })
    let corrected: { assessmentId: number }
    try {
      corrected = await correctTaxDecision({
        assessmentId: id,
        effectiveFrom: data.effectiveFrom,
        issuedOn: data.issuedOn,
        staffId: ctx.auth.use('staff').user?.id ?? null,
        audit: auditContextFrom(ctx),
      })
    } catch (error) {
      if (error instanceof AssessmentError || error instanceof CalculationError)
        return backWithFieldError(
          ctx,
          error.field === 'effectiveFrom' ? 'effectiveFrom' : 'issuedOn',
          error.message
        )
      throw error
    }
    flashSuccess(ctx, `Wydano decyzję zmieniającą od ${data.effectiveFrom}. Raty przeliczono.`)
    return ctx.response.redirect().toRoute('fees.decisions.show', { id: corrected.assessmentId })
  }
}

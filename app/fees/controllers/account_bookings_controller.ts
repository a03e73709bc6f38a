import { randomBytes } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import Resident from '#core/models/resident'
import { auditContextFrom } from '#core/services/audit_log'
import { todayInWarsaw } from '#core/services/calendar'
import { accountStatement } from '#fees/services/account_statement'
import { bookings, BookingError } from '#fees/services/bookings'
import { taxpayers } from '#fees/services/taxpayers'
import {
  clerkMessages,
  linkResidentValidator,
  paymentValidator,
  refundValidator,
  unlinkResidentValidator,
  writeOffValidator,
} from '#fees/validators/clerk_validators'
import {
  backWithFieldError,
  flashSuccess,
  idParam,
  notFound,
  taxpayerOr404,
} from '#fees/controllers/clerk_support'

/** Bookings the clerk makes on the account card: cash payments, write-offs, refunds, e-BOK links. */
export default class AccountBookingsController {
  async paymentForm(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const today = todayInWarsaw()
    const statement = (await accountStatement(taxpayer.id, today)) ?? notFound()
    return ctx.view.render('fees/clerk/payment_form', {
      taxpayer,
      today,
      totals: statement.totals,
      decisionOptions: statement.assessments.map((assessment) => ({
        value: assessment.id,
        label: `${assessment.number} — ${assessment.title}`,
      })),
      /* One token per rendered form: a second submit of the same form books nothing new. */
      idempotencyKey: randomBytes(16).toString('hex'),
    })
  }

  async payment(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const data = await ctx.request.validateUsing(paymentValidator, {
      messagesProvider: clerkMessages,
    })
    let booked
    try {
      booked = await bookings.bookPayment({
        taxpayerId: taxpayer.id,
        amountGr: Number(data.amount),
        paidOn: data.paidOn,
        source: 'cash',
        title: data.title ?? null,
        namedAssessmentId: data.namedAssessmentId ?? null,
        /* Namespaced so a form token can never collide with a bank line's key. */
        idempotencyKey: `clerk:${data.idempotencyKey}`,
        staffId: ctx.auth.use('staff').user?.id ?? null,
        audit: auditContextFrom(ctx),
      })
    } catch (error) {
      return refusedBooking(ctx, error)
    }
    if (booked.taxpayerId !== taxpayer.id) notFound()
    if (booked.created) return bookedOnCard(ctx, taxpayer.id, 'Zaksięgowano wpłatę.')
    /* A double click lands here second: the clerk must read that the payment is booked, once. */
    ctx.session.flash('notification', {
      type: 'info',
      message:
        'Zaksięgowano wpłatę. Formularz wysłano ponownie, ale ta wpłata jest już zaksięgowana — zapisano ją tylko raz.',
    })
    return ctx.response.redirect().toRoute('fees.taxpayers.show', { id: taxpayer.id })
  }

  async writeOffForm(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const { installment, taxpayer } = await installmentOr404(ctx)
    const today = todayInWarsaw()
    const statement = (await accountStatement(taxpayer.id, today)) ?? notFound()
    const state =
      statement.assessments
        .flatMap((assessment) =>
          assessment.installments.map((item) => ({ ...item, decision: assessment.number }))
        )
        .find((item) => item.id === Number(installment.id)) ?? null
    return ctx.view.render('fees/clerk/write_off_form', { taxpayer, installment: state, today })
  }

  async writeOff(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const { installment, taxpayer } = await installmentOr404(ctx)
    const data = await ctx.request.validateUsing(writeOffValidator, {
      messagesProvider: clerkMessages,
    })
    try {
      await bookings.writeOff({
        installmentId: Number(installment.id),
        amountGr: Number(data.amount),
        bookedOn: data.bookedOn,
        description: data.writeOffReason,
        staffId: ctx.auth.use('staff').user?.id ?? null,
        audit: auditContextFrom(ctx),
      })
    } catch (error) {
      return refusedBooking(ctx, error)
    }
    return bookedOnCard(ctx, taxpayer.id, 'Zaksięgowano odpis raty.')
  }

  async refundForm(ctx: HttpContext) {
    await ctx.bouncer.authorize('viewTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const today = todayInWarsaw()
    const statement = (await accountStatement(taxpayer.id, today)) ?? notFound()
    return ctx.view.render('fees/clerk/refund_form', {
      taxpayer,
      today,
      totals: statement.totals,
    })
  }

  async refund(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const data = await ctx.request.validateUsing(refundValidator, {
      messagesProvider: clerkMessages,
    })
    try {
      await bookings.refund({
        taxpayerId: taxpayer.id,
        amountGr: Number(data.amount),
        bookedOn: data.bookedOn,
        description: data.refundReason,
        staffId: ctx.auth.use('staff').user?.id ?? null,
        audit: auditContextFrom(ctx),
      })
    } catch (error) {
      return refusedBooking(ctx, error)
    }
    return bookedOnCard(ctx, taxpayer.id, 'Zaksięgowano zwrot nadpłaty.')
  }

  /** Links a resident's e-BOK account after the clerk checked the person's identity at the desk. */
  async link(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const { residentEmail } = await ctx.request.validateUsing(linkResidentValidator, {
      messagesProvider: clerkMessages,
    })
    const resident = await Resident.query()
      .whereRaw('lower(email) = ?', [residentEmail.toLowerCase()])
      .first()
    if (!resident || !resident.emailVerifiedAt || !resident.isActive)
      return backWithFieldError(
        ctx,
        'residentEmail',
        'Nie ma aktywnego konta mieszkańca z tym adresem e-mail (z potwierdzonym adresem).'
      )
    const staffId = ctx.auth.use('staff').user?.id ?? null
    await taxpayers.link(taxpayer.id, resident.id, 'clerk', staffId, {
      ...auditContextFrom(ctx),
      action: 'fees.resident_linked',
      subjectType: 'fees_taxpayer',
      subjectId: taxpayer.id,
      details: { residentId: resident.id },
    })
    return bookedOnCard(
      ctx,
      taxpayer.id,
      `Połączono konto e-BOK ${resident.email} z kontem podatnika.`
    )
  }

  async unlink(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageTaxes')
    const taxpayer = await taxpayerOr404(ctx)
    const { residentId } = await ctx.request.validateUsing(unlinkResidentValidator, {
      messagesProvider: clerkMessages,
    })
    await taxpayers.unlink(taxpayer.id, residentId, {
      ...auditContextFrom(ctx),
      action: 'fees.resident_unlinked',
      subjectType: 'fees_taxpayer',
      subjectId: taxpayer.id,
      details: { residentId },
    })
    return bookedOnCard(ctx, taxpayer.id, 'Odłączono konto e-BOK.')
  }
}

async function installmentOr404(ctx: HttpContext) {
  const installment =
    (await db.from('fees_installments').where('id', idParam(ctx)).first()) ?? notFound()
  const taxpayer = (await taxpayers.find(Number(installment.taxpayer_id))) ?? notFound()
  return { installment, taxpayer }
}

/** Success message, back to the account card (the service wrote the audit entry with the booking). */
function bookedOnCard(ctx: HttpContext, taxpayerId: number, message: string) {
  flashSuccess(ctx, message)
  return ctx.response.redirect().toRoute('fees.taxpayers.show', { id: taxpayerId })
}

/** A booking the ledger refuses goes back to the form with the message on its field. */
function refusedBooking(ctx: HttpContext, error: unknown) {
  if (error instanceof BookingError)
    return backWithFieldError(ctx, fieldOf(error.field), error.message)
  throw error
}

/* Service field names that are not form fields are shown on the amount. */
function fieldOf(field: string) {
  return ['amount', 'paidOn', 'bookedOn', 'namedAssessmentId'].includes(field) ? field : 'amount'
}

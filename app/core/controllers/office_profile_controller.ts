import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { officeProfileValidator } from '#core/validators/office_validators'
import officeProfileService from '#core/services/office_profile_service'
import auditLog from '#core/services/audit_log'
import { storeUpload, UploadRejectedError } from '#core/services/uploads'

export default class OfficeProfileController {
  async edit({ view, bouncer }: HttpContext) {
    await bouncer.authorize('manageOffice')
    return view.render('core/admin/office', { profile: await officeProfileService.get() })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('manageOffice')
    const { logo, ...data } = await ctx.request.validateUsing(officeProfileValidator)
    const current = await officeProfileService.get()
    let logoPath = current?.logoPath ?? null
    if (logo) {
      try {
        logoPath = await storeUpload(logo, 'office')
      } catch (error) {
        if (!(error instanceof UploadRejectedError)) throw error
        ctx.session.flashExcept(['logo'])
        ctx.session.flash('inputErrorsBag', { logo: [error.message] })
        return ctx.response.redirect().toRoute('admin.office.edit')
      }
    }
    const changed = current
      ? Object.keys(data).filter(
          (key) => String((current as any)[key] ?? '') !== String((data as any)[key] ?? '')
        )
      : Object.keys(data)
    await db.transaction(async (trx) => {
      await officeProfileService.save(
        { ...data, openingHours: data.openingHours ?? null, logoPath },
        trx
      )
      await auditLog.recordFromRequest(
        ctx,
        {
          action: 'office.updated',
          subjectType: 'office_profile',
          subjectId: 1,
          details: { changed },
        },
        trx
      )
    })
    ctx.session.flash('notification', { type: 'success', message: 'Dane urzędu zostały zapisane.' })
    return ctx.response.redirect().toRoute('admin.office.edit')
  }
}

import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import officeProfileService from '#core/services/office_profile_service'
import { formatDate } from '#core/services/formatting'

export default class StaffDashboardController {
  async show({ view, bouncer }: HttpContext) {
    await bouncer.authorize('viewDashboard')
    const pending = await db
      .from('outbox_messages')
      .whereIn('status', ['pending', 'sending'])
      .count('* as total')
      .first()
    return view.render('core/staff/dashboard', {
      office: await officeProfileService.get(),
      pendingMessages: Number(pending?.total ?? 0),
      today: formatDate(new Date()),
    })
  }
}

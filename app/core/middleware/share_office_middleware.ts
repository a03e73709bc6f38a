import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import officeProfileService from '#core/services/office_profile_service'

/** Pages behind the web stack show the office's name and address in their header and footer. */
export default class ShareOfficeMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    ctx.view.share({ office: await officeProfileService.get() })
    return next()
  }
}

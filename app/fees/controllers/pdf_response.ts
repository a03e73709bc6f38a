import type { HttpContext } from '@adonisjs/core/http'

/** A generated letter as a download: never rendered inline, never cached. */
export function sendPdf(response: HttpContext['response'], pdf: Buffer, fileName: string) {
  response.header('content-type', 'application/pdf')
  response.header('content-disposition', `attachment; filename="${fileName}"`)
  response.header('x-content-type-options', 'nosniff')
  response.header('cache-control', 'no-store')
  return response.send(pdf)
}

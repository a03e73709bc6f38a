import type { ApplicationService } from '@adonisjs/core/types'

/**
 * Wires Ratusz's shared helpers into Edge so every module's views format
 * money, dates and account numbers the same way.
 */
export default class RatuszProvider {
  constructor(protected app: ApplicationService) {}

  async boot() {
    const { default: edge } = await import('edge.js')
    const { formatMoney } = await import('#core/services/money')
    const { formatNrb, formatDate } = await import('#core/services/formatting')
    const { ROLE_LABELS } = await import('#core/services/roles')
    const { default: ratuszConfig } = await import('#config/ratusz')
    edge.global('formatMoney', formatMoney)
    edge.global('formatNrb', formatNrb)
    edge.global('formatDate', formatDate)
    edge.global('roleLabels', ROLE_LABELS)
    edge.global('demoMode', ratuszConfig.demo)
    edge.global('encodeURIComponent', encodeURIComponent)
  }
}

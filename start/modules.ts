/*
 * What each module adds to the core: bouncer abilities, staff menu sections and view helpers.
 * The core reads them from #core/services/module_registry and imports nothing from a module.
 */
import edge from 'edge.js'
import { moduleRegistry } from '#core/services/module_registry'
import * as feesAbilities from '#fees/policies/abilities'
import { formatScaled } from '#fees/services/assessment_calculation'

declare module '#core/services/module_registry' {
  interface ModuleAbilities extends FeesAbilities {}
}
type FeesAbilities = typeof feesAbilities

moduleRegistry.registerAbilities('fees', feesAbilities)
moduleRegistry.registerStaffMenu({
  module: 'fees',
  order: 20,
  title: 'Podatki i opłaty',
  ability: 'viewTaxes',
  items: [
    { href: '/panel/podatki', label: 'Ewidencja podatników' },
    { href: '/panel/podatki/zaleglosci', label: 'Zaległości' },
    { href: '/panel/podatki/zestawienie-dzienne', label: 'Zestawienie dzienne' },
    { href: '/panel/podatki/upomnienia', label: 'Upomnienia' },
    { href: '/panel/podatki/import', label: 'Import z pliku CSV' },
    {
      href: '/panel/podatki/konfiguracja',
      label: 'Stawki i ustawienia',
      ability: 'configureTaxes',
    },
  ],
  summary: 'ewidencja podatników, karty kontowe, wymiar, wpłaty, zaległości i upomnienia.',
})
/* Areas, hectares and rates (× 10^4) in the fees module's calculation basis. */
edge.global('formatScaled', formatScaled)

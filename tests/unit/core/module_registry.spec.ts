import { test } from '@japa/runner'
import { moduleRegistry } from '#core/services/module_registry'

test.group('Module registry', () => {
  test('the fees module plugs its abilities and its menu section in from start/', ({ assert }) => {
    assert.properties(moduleRegistry.abilities, ['viewTaxes', 'manageTaxes', 'configureTaxes'])
    const fees = moduleRegistry.staffMenu.find((section) => section.module === 'fees')!
    assert.equal(fees.ability, 'viewTaxes')
    assert.equal(fees.items[0].href, '/panel/podatki')
  })

  test('an ability registered twice is refused with the module named', ({ assert }) => {
    assert.throws(
      () => moduleRegistry.registerAbilities('booking', { viewTaxes: () => true }),
      'module booking: the ability viewTaxes is registered already'
    )
  })

  test('the current menu item is the longest link that starts the path', ({ assert }) => {
    const fees = moduleRegistry.staffMenu.find((section) => section.module === 'fees')!
    const current = (path: string) => moduleRegistry.currentItem(fees, path)
    assert.equal(current('/panel/podatki'), '/panel/podatki')
    assert.equal(current('/panel/podatki/12?na-dzien=2026-01-01'), '/panel/podatki')
    assert.equal(current('/panel/podatki/zaleglosci'), '/panel/podatki/zaleglosci')
    assert.equal(current('/panel/podatki/konfiguracja/stawki'), '/panel/podatki/konfiguracja')
    assert.isNull(current('/panel/podatkiX'))
    assert.isNull(current('/panel/admin/urzad'))
  })
})

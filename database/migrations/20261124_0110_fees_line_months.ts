import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Months of the tax year an object was taxed (obligation arising or ending in
 * the year): the line's basis reads base × rate × months/12 = amount, so a
 * partial year is shown as it was calculated.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('fees_assessment_lines', (table) => {
      table.integer('months').notNullable().defaultTo(12)
    })
  }

  async down() {
    this.schema.alterTable('fees_assessment_lines', (table) => {
      table.dropColumn('months')
    })
  }
}

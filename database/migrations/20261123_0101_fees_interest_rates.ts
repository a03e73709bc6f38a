import { BaseSchema } from '@adonisjs/lucid/schema'
import {
  DEFAULT_INTEREST_RATES,
  DEFAULT_INTEREST_THRESHOLD_GR,
} from '#fees/services/default_interest_rates'

export default class extends BaseSchema {
  async up() {
    /* The statutory rate table is data: administrators add rows when the NBP lombard rate changes. */
    this.schema.createTable('fees_interest_rates', (table) => {
      table.increments('id')
      table.date('effective_from').notNullable().unique()
      table.integer('standard_rate_bp').notNullable()
      table.string('note', 200).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    /* Settings that change with the law, each valid from a date (e.g. the interest threshold). */
    this.schema.createTable('settings', (table) => {
      table.increments('id')
      table.string('key', 100).notNullable()
      table.date('effective_from').notNullable()
      table.text('value').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['key', 'effective_from'])
    })

    this.defer(async (db) => {
      const now = new Date().toISOString().slice(0, 19).replace('T', ' ')
      await db.table('fees_interest_rates').multiInsert(
        DEFAULT_INTEREST_RATES.map((rate) => ({
          effective_from: rate.from,
          standard_rate_bp: rate.standardBp,
          note: null,
          created_at: now,
          updated_at: now,
        }))
      )
      await db.table('settings').insert({
        key: 'fees.interest_threshold_gr',
        effective_from: '2000-01-01',
        value: String(DEFAULT_INTEREST_THRESHOLD_GR),
        created_at: now,
        updated_at: now,
      })
    })
  }

  async down() {
    this.schema.dropTable('settings')
    this.schema.dropTable('fees_interest_rates')
  }
}

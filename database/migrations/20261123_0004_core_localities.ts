import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /* Villages and towns of the gmina (miejscowości, sołectwa): used for addresses, alerts and waste rounds. */
    this.schema.createTable('localities', (table) => {
      table.increments('id')
      table.string('name', 100).notNullable().unique()
      table.string('kind', 20).notNullable()
      table.string('simc', 7).nullable()
      table.string('postal_code', 6).notNullable()
      table.integer('population').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable('localities')
  }
}

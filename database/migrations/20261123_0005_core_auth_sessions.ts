import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /*
     * Signed-in sessions, server side. The session itself travels in an
     * encrypted cookie (anonymous visitors cost no database write); this row is
     * what makes a copied cookie worthless after logout, expiry or disabling.
     */
    this.schema.createTable('auth_sessions', (table) => {
      table.string('id', 64).primary()
      table.string('realm', 20).notNullable()
      table.integer('account_id').notNullable()
      table.string('ip', 45).nullable()
      table.string('user_agent', 200).nullable()
      table.bigInteger('created_ms').notNullable()
      table.bigInteger('last_seen_ms').notNullable()
      table.index(['realm', 'account_id'])
    })
  }

  async down() {
    this.schema.dropTable('auth_sessions')
  }
}

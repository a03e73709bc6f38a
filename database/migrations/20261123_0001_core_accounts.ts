import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('office_profiles', (table) => {
      table.increments('id')
      table.string('name', 200).notNullable()
      table.string('teryt', 7).notNullable()
      table.string('street', 200).notNullable()
      table.string('postal_code', 6).notNullable()
      table.string('city', 100).notNullable()
      table.string('nip', 10).notNullable()
      table.string('regon', 14).notNullable()
      table.string('bank_account', 26).notNullable()
      table.string('email', 254).notNullable()
      table.string('phone', 30).notNullable()
      table.text('opening_hours').nullable()
      table.string('logo_path', 200).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('staff_users', (table) => {
      table.increments('id')
      table.string('login', 60).notNullable().unique()
      table.string('full_name', 200).notNullable()
      table.string('email', 254).notNullable()
      table.string('unit', 20).nullable()
      table.string('roles', 200).notNullable()
      table.string('password', 255).notNullable()
      table.text('totp_secret').nullable()
      table.timestamp('totp_enabled_at').nullable()
      table.bigInteger('totp_last_step').nullable()
      table.boolean('is_active').notNullable().defaultTo(true)
      table.timestamp('last_login_at').nullable()
      table.timestamp('password_changed_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('residents', (table) => {
      table.increments('id')
      table.string('email', 254).notNullable().unique()
      table.string('full_name', 200).notNullable()
      table.string('password', 255).notNullable()
      table.timestamp('email_verified_at').nullable()
      table.boolean('is_active').notNullable().defaultTo(true)
      table.timestamp('last_login_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    /* Single-use tokens for e-mail verification and password reset; only hashes are stored. */
    this.schema.createTable('account_tokens', (table) => {
      table.increments('id')
      table.string('purpose', 30).notNullable()
      table.string('realm', 20).notNullable()
      table.integer('account_id').notNullable()
      table.string('token_hash', 64).notNullable().unique()
      table.timestamp('expires_at').notNullable()
      table.timestamp('used_at').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['realm', 'account_id', 'purpose'])
    })

    this.schema.createTable('sessions', (table) => {
      table.string('id').primary()
      table.text('data').notNullable()
      table.string('user_id').nullable().index()
      table.timestamp('expires_at').notNullable().index()
    })

    this.schema.createTable('rate_limits', (table) => {
      table.string('key', 255).notNullable().primary()
      table.integer('points', 9).notNullable().defaultTo(0)
      table.bigint('expire').unsigned()
    })
  }

  async down() {
    for (const name of [
      'rate_limits',
      'sessions',
      'account_tokens',
      'residents',
      'staff_users',
      'office_profiles',
    ]) {
      this.schema.dropTable(name)
    }
  }
}

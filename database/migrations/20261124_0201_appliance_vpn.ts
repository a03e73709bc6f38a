import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * WireGuard VPN for remote clerks. The database is the source of truth for the
 * peers; the server's private key is never here (it stays root-only in
 * /etc/wireguard), only its public key, read from the file the installer writes.
 * Client private keys are shown once and never stored.
 */
export default class extends BaseSchema {
  async up() {
    /* One row (id 1): the server interface as the administrator set it. */
    this.schema.createTable('appliance_vpn_settings', (table) => {
      table.integer('id').primary()
      table.string('interface_name', 15).notNullable()
      table.string('address_range', 43).notNullable()
      table.integer('listen_port').notNullable()
      table.string('endpoint', 255).notNullable()
      table.string('dns', 255).nullable()
      table.string('server_public_key', 44).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    this.schema.createTable('appliance_vpn_peers', (table) => {
      table.increments('id')
      table
        .integer('staff_user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('staff_users')
        .onDelete('RESTRICT')
      table.string('device_name', 60).notNullable()
      table.string('public_key', 44).notNullable().unique()
      /* Held until the peer is revoked, then free for the next device. */
      table.string('address', 15).notNullable().index()
      /* 'YYYY-MM-DD': the last day the peer works (inclusive). */
      table.string('expires_at', 10).nullable()
      table.timestamp('revoked_at').nullable()
      table.timestamp('config_downloaded_at').nullable()
      table.integer('created_by').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['staff_user_id'])
    })
  }

  async down() {
    this.schema.dropTable('appliance_vpn_peers')
    this.schema.dropTable('appliance_vpn_settings')
  }
}

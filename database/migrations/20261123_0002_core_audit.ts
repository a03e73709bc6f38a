import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('audit_entries', (table) => {
      table.bigIncrements('id')
      table.string('occurred_at', 30).notNullable()
      table.string('actor_realm', 20).notNullable()
      table.integer('actor_id').nullable()
      table.string('actor_label', 200).notNullable()
      table.string('action', 80).notNullable()
      table.string('subject_type', 60).nullable()
      table.string('subject_id', 60).nullable()
      table.string('ip', 45).nullable()
      table.text('details').notNullable()
      table.string('prev_hash', 64).notNullable().unique()
      table.string('hash', 64).notNullable().unique()
      table.index(['action'])
      table.index(['actor_realm', 'actor_id'])
      table.index(['subject_type', 'subject_id'])
    })

    /* Append-only: the database itself refuses updates and deletes. */
    if (this.db.dialect.name === 'postgres') {
      this.schema.raw(`
        CREATE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END;
        $$ LANGUAGE plpgsql;
        CREATE TRIGGER audit_entries_no_update BEFORE UPDATE OR DELETE ON audit_entries
        FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
      `)
    } else {
      this.schema.raw(`CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;`)
      this.schema.raw(`CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;`)
    }
  }

  async down() {
    this.schema.dropTable('audit_entries')
    if (this.db.dialect.name === 'postgres') {
      this.schema.raw('DROP FUNCTION IF EXISTS audit_entries_append_only()')
    }
  }
}

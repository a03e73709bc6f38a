import { BaseSchema } from '@adonisjs/lucid/schema'
import { QueueSchemaService } from '@boringnode/queue'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('outbox_messages', (table) => {
      table.increments('id')
      table.string('channel', 10).notNullable()
      table.string('idempotency_key', 120).notNullable().unique()
      table.string('recipient', 254).notNullable()
      table.string('subject', 250).notNullable()
      table.text('body_text').notNullable()
      table.text('body_html').nullable()
      table.string('status', 20).notNullable()
      table.integer('attempts').notNullable().defaultTo(0)
      table.text('last_error').nullable()
      table.string('provider_id', 250).nullable()
      table.string('related_type', 60).nullable()
      table.string('related_id', 60).nullable()
      table.timestamp('next_attempt_at').nullable()
      table.timestamp('sent_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['status', 'next_attempt_at'])
    })

    const queue = new QueueSchemaService(this.db.getWriteClient())
    await queue.createJobsTable('queue_jobs')
    await queue.createSchedulesTable()
  }

  async down() {
    const queue = new QueueSchemaService(this.db.getWriteClient())
    await queue.dropSchedulesTable()
    await queue.dropJobsTable('queue_jobs')
    this.schema.dropTable('outbox_messages')
  }
}

import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    /*
     * Long work started by a staff member (reports, exports, imports, batches):
     * the request writes a row and queues a job, the worker runs it and reports
     * progress here, the task page reads it. The result file lives in the data
     * directory (RATUSZ_DATA/tasks/<id>/), never under the web root.
     */
    this.schema.createTable('background_tasks', (table) => {
      table.increments('id')
      table.string('kind', 60).notNullable()
      table
        .integer('owner_id')
        .notNullable()
        .references('id')
        .inTable('staff_users')
        .onDelete('CASCADE')
      table.text('params').notNullable()
      table.string('status', 12).notNullable().defaultTo('queued')
      table.integer('progress_done').notNullable().defaultTo(0)
      table.integer('progress_total').notNullable().defaultTo(0)
      table.string('progress_message', 200).notNullable().defaultTo('')
      table.string('result_path', 300).nullable()
      table.string('result_name', 200).nullable()
      table.string('result_type', 100).nullable()
      /* Small figures the task page shows (counts, sums, links), as JSON. */
      table.text('summary').nullable()
      table.text('error').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('started_at').nullable()
      table.timestamp('finished_at').nullable()
      table.timestamp('updated_at').notNullable()
      table.index(['owner_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('background_tasks')
  }
}

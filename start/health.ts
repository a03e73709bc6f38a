/*
 * Event-loop and pool figures for /up?deep=1 and `ratusz doctor`. Loaded in the
 * web server (and the test process, which runs one) only: the monitor's timer is
 * unref'd and stopped at shutdown, and ace commands never start it.
 */
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import eventLoopMonitor from '#core/services/event_loop_monitor'
import poolWaits, { type TarnPool } from '#core/services/pool_waits'
import { primaryPool } from '#core/services/server_health'

eventLoopMonitor.start()
app.terminating(() => eventLoopMonitor.stop())

/* Waits are counted from the start; a connection opened again later gets its pool watched too. */
emitter.on('db:connection:connect', (connection) => {
  const knex = connection.client as unknown as { client?: { pool?: TarnPool } } | undefined
  poolWaits.watch(knex?.client?.pool)
})
app.ready(() => poolWaits.watch(primaryPool()))

import env from '#start/env'
import { defineConfig, drivers } from '@adonisjs/queue'

export default defineConfig({
  default: env.get('QUEUE_DRIVER', 'database'),
  adapters: {
    database: drivers.database({ tableName: 'queue_jobs' }),
    sync: drivers.sync(),
  },
  worker: {
    concurrency: 2,
    idleDelay: '1s',
  },
  locations: ['./app/*/jobs/**/*.{ts,js}'],
})

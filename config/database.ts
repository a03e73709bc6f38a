import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'
import { dataDir } from '#config/ratusz'

mkdirSync(dataDir, { recursive: true })

const migrations = { naturalSort: true, paths: ['database/migrations'] }

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION', 'sqlite'),
  connections: {
    sqlite: {
      client: 'sqlite3',
      connection: { filename: join(dataDir, 'ratusz.sqlite3') },
      useNullAsDefault: true,
      migrations,
      schemaGeneration: { enabled: false },
      pool: {
        afterCreate: (conn: any, done: (error: Error | null, conn: any) => void) => {
          conn.exec(
            'PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;',
            (error: Error | null) => done(error, conn)
          )
        },
      },
    },
    pg: {
      client: 'pg',
      connection: {
        host: env.get('PG_HOST', '127.0.0.1'),
        port: env.get('PG_PORT', 5432),
        user: env.get('PG_USER', 'ratusz'),
        password: env.get('PG_PASSWORD'),
        database: env.get('PG_DB_NAME', 'ratusz'),
      },
      migrations,
      schemaGeneration: { enabled: false },
      pool: {
        afterCreate: (conn: any, done: (error: Error | null, conn: any) => void) => {
          conn.query('SET TIME ZONE UTC', (error: Error | null) => done(error, conn))
        },
      },
    },
  },
})

export default dbConfig

import { spawn } from 'node:child_process'
import db from '@adonisjs/lucid/services/db'

export interface HeldLock {
  release(): Promise<void>
}

/*
 * Another process takes the database's write lock and keeps it until release():
 * SQLite BEGIN IMMEDIATE on the same file, PostgreSQL an exclusive lock on `table`.
 */
export async function holdWriteLock(table: string): Promise<HeldLock> {
  const client = db.connection()
  const config = client.getWriteClient().client.config.connection as Record<string, unknown>
  const script =
    client.dialect.name === 'postgres'
      ? `const pg = require('pg');
         const c = new pg.Client(JSON.parse(process.env.LOCK_DB));
         c.connect().then(async () => {
           await c.query('BEGIN'); await c.query('LOCK TABLE ${table} IN EXCLUSIVE MODE');
           process.stdout.write('locked\\n');
           process.stdin.once('data', async () => { await c.query('COMMIT'); await c.end(); process.exit(0) });
         })`
      : `const Database = require('better-sqlite3');
         const d = new Database(JSON.parse(process.env.LOCK_DB).filename);
         d.exec('BEGIN IMMEDIATE');
         process.stdout.write('locked\\n');
         process.stdin.once('data', () => { d.exec('COMMIT'); d.close(); process.exit(0) });`
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, LOCK_DB: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)))
  })
  return {
    async release() {
      child.stdin!.write('release\n')
      await exited
    },
  }
}

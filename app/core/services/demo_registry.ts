/**
 * Demo data is seeded module by module. Each module registers a seeder in
 * start/demo.ts; `./ace demo:seed` runs them in order inside one transaction
 * and prints the logins they report.
 */
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

export interface DemoLogin {
  realm: string
  login: string
  password: string
  role: string
  note?: string
}

export interface DemoContext {
  trx: TransactionClientContract
  /** Scale factor: 1 for the demo, larger for benchmark data sets. */
  scale: number
  logins: DemoLogin[]
}

export interface DemoSeeder {
  module: string
  order: number
  run(context: DemoContext): Promise<void>
}

class DemoRegistry {
  readonly seeders: DemoSeeder[] = []

  register(seeder: DemoSeeder) {
    this.seeders.push(seeder)
    this.seeders.sort((a, b) => a.order - b.order)
  }
}

export const demoRegistry = new DemoRegistry()

/** The one password every demo account shares; printed by demo:seed, never used outside demo mode. */
export const DEMO_PASSWORD = 'Przykladowa#2026'

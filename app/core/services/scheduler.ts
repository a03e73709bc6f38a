import type { Job } from '@adonisjs/queue'

type JobClass = { schedule(payload: any): { id(id: string): any } } & (abstract new (
  ...args: any[]
) => Job)

export interface ScheduleDefinition {
  /** Stable id, e.g. "fees.daily-interest"; re-registering replaces the cron. */
  id: string
  description: string
  /** Five-field cron in Europe/Warsaw time. */
  cron: string
  job: () => Promise<{ default: unknown }>
  payload: Record<string, unknown>
}

/**
 * Registry of periodic jobs. Modules register in start/scheduler.ts; `sync()`
 * writes them into the queue's schedule table, which `./ace queue:work` reads.
 */
class ScheduleRegistry {
  readonly definitions = new Map<string, ScheduleDefinition>()

  register(definition: ScheduleDefinition) {
    if (!/^(\S+\s+){4}\S+$/.test(definition.cron.trim())) {
      throw new Error(
        `Schedule ${definition.id}: "${definition.cron}" is not a five-field cron expression`
      )
    }
    this.definitions.set(definition.id, definition)
  }

  async sync(): Promise<string[]> {
    const { Schedule } = await import('@adonisjs/queue')
    const synced: string[] = []
    for (const definition of this.definitions.values()) {
      const existing = await Schedule.find(definition.id)
      if (existing && existing.cronExpression === definition.cron) {
        synced.push(definition.id)
        continue
      }
      if (existing) await existing.delete()
      const { default: JobClass } = (await definition.job()) as { default: JobClass }
      await JobClass.schedule(definition.payload)
        .id(definition.id)
        .cron(definition.cron)
        .timezone('Europe/Warsaw')
      synced.push(definition.id)
    }
    return synced
  }
}

export const schedules = new ScheduleRegistry()

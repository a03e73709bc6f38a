import env from '#start/env'
import { configProvider } from '@adonisjs/core'
import { defineConfig, stores } from '@adonisjs/limiter'
import type { LimiterConsumptionOptions } from '@adonisjs/limiter/types'

const limiterConfig = defineConfig({
  default: env.get('LIMITER_STORE', 'database'),
  stores: {
    /*
     * The stock database store bound to whichever client Lucid hands out at the
     * moment of each call (see app/core/services/limiter_store.ts). Expired rows
     * are pruned by the nightly job, not by a timer per limiter.
     */
    database: configProvider.create(async () => {
      const { ConnectionBoundLimiterStore } = await import('#core/services/limiter_store')
      return (options: LimiterConsumptionOptions) =>
        new ConnectionBoundLimiterStore({
          tableName: 'rate_limits',
          clearExpiredByTimeout: false,
          ...options,
        })
    }),
    memory: stores.memory({}),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}

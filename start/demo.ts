/*
 * Demo data, module by module (loaded by `./ace demo:seed` only).
 */
import { demoRegistry } from '#core/services/demo_registry'
import { seedCoreDemo } from '#core/services/core_demo_seeder'
import { seedFeesDemo } from '#fees/services/fees_demo_seeder'

demoRegistry.register({ module: 'core', order: 10, run: seedCoreDemo })
demoRegistry.register({ module: 'fees', order: 20, run: seedFeesDemo })

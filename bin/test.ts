/* First: sets the terminal size before any CLI library measures it (see headless.ts). */
import './headless.js'
import { createServer } from 'node:net'
import { prettyPrintError } from '@adonisjs/core'
import { configure, processCLIArgs, run } from '@japa/runner'
import { ratuszIgnitor } from './ignitor.js'

process.env.NODE_ENV = 'test'

/*
 * Each test process gets its own data directory and HTTP port (unless given),
 * so two runs on one machine never share a SQLite file or a port.
 */
process.env.RATUSZ_DATA ??= `tmp/test-data-${process.pid}`
process.env.PORT ??= String(
  await new Promise<number>((resolve) => {
    const probe = createServer()
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
)

ratuszIgnitor()
  .testRunner()
  .configure(async (app) => {
    const { runnerHooks, ...config } = await import('../tests/bootstrap.js')

    processCLIArgs(process.argv.splice(2))
    configure({
      ...app.rcFile.tests,
      ...config,
      ...{
        setup: runnerHooks.setup,
        teardown: runnerHooks.teardown.concat([() => app.terminate()]),
      },
    })
  })
  .run(() => run())
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })

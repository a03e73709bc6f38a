/*
 * Ratusz's own settings read from the environment: where state lives and
 * which networks count as the office (LAN and VPN).
 */
import { isAbsolute, join } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'

const dataSetting = env.get('RATUSZ_DATA', 'storage')

export const dataDir = isAbsolute(dataSetting)
  ? dataSetting
  : join(app.appRoot.pathname, dataSetting)

const ratuszConfig = {
  dataDir,
  filesDir: join(dataDir, 'files'),
  demo: env.get('RATUSZ_DEMO', false),
  staffNetworks: env.get('STAFF_NETWORKS', '127.0.0.0/8,::1/128'),
  mailMode: env.get('MAIL_MODE', app.inProduction ? 'smtp' : 'capture'),
}

export default ratuszConfig

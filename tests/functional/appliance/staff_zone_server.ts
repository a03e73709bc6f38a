/*
 * The office server's side of the VPN tunnel test, run inside the server's network
 * namespace: answers the staff login path with the project's own staff-zone check
 * (StaffZone: STAFF_NETWORKS plus the VPN range the database holds, passed in as
 * RATUSZ_TEST_VPN_RANGE), 404 for anyone outside it, as StaffZoneMiddleware does.
 *   node --import=@poppinss/ts-exec staff_zone_server.ts PORT
 */
import { createServer } from 'node:http'
import { StaffZone } from '#core/services/network_zones'

const zone = new StaffZone(process.env.STAFF_NETWORKS ?? '127.0.0.0/8')
zone.addSource('vpn', async () => process.env.RATUSZ_TEST_VPN_RANGE ?? null)

const server = createServer(async (request, response) => {
  const inZone = await zone.contains(request.socket.remoteAddress)
  const found = request.url === '/panel/logowanie' && inZone
  response.writeHead(found ? 200 : 404, { 'Content-Type': 'text/plain; charset=utf-8' })
  response.end(found ? `staff login for ${request.socket.remoteAddress}\n` : 'not found\n')
})
server.listen(Number(process.argv[2]), '0.0.0.0', () => process.stdout.write('listening\n'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))

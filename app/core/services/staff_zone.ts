import ratuszConfig from '#config/ratusz'
import { StaffZone } from '#core/services/network_zones'

/** The process-wide staff zone: STAFF_NETWORKS plus what modules add (the VPN range). */
const staffZone = new StaffZone(ratuszConfig.staffNetworks)

export default staffZone

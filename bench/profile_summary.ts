/*
 * Reads a V8 CPU profile (`node --cpu-prof`, plain or .gz) of the production server under load
 * and prints where the time went: self time by package, self time by function, and inclusive
 * time by function, as shares of the non-idle time after the first --skip-ms milliseconds (the
 * start-up and the sign-in). Usage:
 *
 *   node --import=@poppinss/ts-exec bench/profile_summary.ts bench/profiles/konto.cpuprofile.gz \
 *     [--skip-ms 5000] [--top 25] [--focus <regexp>]
 *
 * --focus prints the callers of the functions whose "name file:line" matches, with their
 * inclusive share. See bench/README.md ("Profiles") for how the committed ones were made.
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const args = process.argv.slice(2)
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a))
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback
}
if (!file) {
  console.error(
    'usage: profile_summary.ts <file.cpuprofile[.gz]> [--skip-ms N] [--top N] [--focus RE]'
  )
  process.exit(2)
}
const raw = readFileSync(file)
const profile: Profile = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'))
const skipUs = Number(option('skip-ms', '5000')) * 1000
const top = Number(option('top', '25'))
const focus = option('focus', '')

const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url
    .replace(/.*node_modules\//, '')
    .replace(/.*\/build\//, '')}:${n.callFrame.lineNumber}`
const packageOf = (n: ProfileNode) => {
  const url = n.callFrame.url
  if (!url) return n.callFrame.functionName
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]
  if (url.includes('/build/'))
    return `app: ${url
      .replace(/.*\/build\//, '')
      .split('/')
      .slice(0, 3)
      .join('/')}`
  return url.split('/').slice(0, 2).join('/')
}

const selfUs = new Map<number, number>()
let clock = 0
let total = 0
profile.samples.forEach((id, i) => {
  clock += profile.timeDeltas[i] ?? 0
  if (clock < skipUs) return
  if (byId.get(id)!.callFrame.functionName === '(idle)') return
  const dt = profile.timeDeltas[i] ?? 0
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt)
  total += dt
})

const add = (map: Map<string, number>, key: string, us: number) =>
  map.set(key, (map.get(key) ?? 0) + us)
const bySelf = new Map<string, number>()
const byPackage = new Map<string, number>()
const inclusive = new Map<string, number>()
for (const [id, us] of selfUs) {
  const node = byId.get(id)!
  add(bySelf, label(node), us)
  add(byPackage, packageOf(node), us)
  const seen = new Set<string>()
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = label(byId.get(at)!)
    if (seen.has(key)) continue
    seen.add(key)
    add(inclusive, key, us)
  }
}

const print = (title: string, map: Map<string, number>, count: number) => {
  console.log(`--- ${title}`)
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`)
  }
}
console.log(`${file}: ${(total / 1000).toFixed(0)} ms of CPU after the first ${skipUs / 1000} ms`)
print('self time by package', byPackage, 15)
print('self time by function', bySelf, top)
print('inclusive time by function', inclusive, top * 2)

if (focus) {
  const pattern = new RegExp(focus)
  const callers = new Map<string, number>()
  const inclusiveOf = (id: number): number =>
    (selfUs.get(id) ?? 0) +
    (byId.get(id)!.children ?? []).reduce((sum, child) => sum + inclusiveOf(child), 0)
  for (const node of profile.nodes) {
    if (!pattern.test(label(node))) continue
    const up = parent.get(node.id)
    add(
      callers,
      `${label(node)}  ←  ${up === undefined ? '(root)' : label(byId.get(up)!)}`,
      inclusiveOf(node.id)
    )
  }
  print(`callers of /${focus}/`, callers, top)
}

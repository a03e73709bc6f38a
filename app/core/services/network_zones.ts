import { BlockList, isIP } from 'node:net'

/** Strips the IPv4-mapped IPv6 prefix so that ::ffff:10.0.0.5 matches 10.0.0.0/8. */
export function normalizeAddress(address: string): string {
  const lower = address.trim().toLowerCase()
  if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) {
    return lower.slice(7)
  }
  return lower
}

export class InvalidNetworkError extends Error {
  constructor(public readonly entry: string) {
    super(`Invalid network "${entry}": expected a CIDR such as 192.168.1.0/24 or fd00::/64`)
  }
}

/**
 * A set of IPv4 and IPv6 networks given as a comma-separated list of CIDRs
 * (a bare address counts as a single host).
 */
export class NetworkSet {
  readonly #list = new BlockList()
  readonly entries: string[]

  constructor(spec: string) {
    this.entries = spec
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
    for (const entry of this.entries) {
      const [address, prefixText, ...extra] = entry.split('/')
      const family = isIP(address)
      if (family === 0 || extra.length > 0) throw new InvalidNetworkError(entry)
      const maxPrefix = family === 4 ? 32 : 128
      const prefix = prefixText === undefined ? maxPrefix : Number(prefixText)
      if (!/^\d+$/.test(prefixText ?? String(maxPrefix)) || prefix > maxPrefix) {
        throw new InvalidNetworkError(entry)
      }
      this.#list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6')
    }
  }

  contains(address: string | undefined | null): boolean {
    if (!address) return false
    const normalized = normalizeAddress(address)
    const family = isIP(normalized)
    if (family === 0) return false
    return this.#list.check(normalized, family === 4 ? 'ipv4' : 'ipv6')
  }
}

/**
 * The predicate AdonisJS uses to decide whether a hop may set X-Forwarded-For.
 * With no proxies configured nobody is trusted and the socket address is used.
 */
export function trustedProxyPredicate(
  spec: string
): (address: string, distance: number) => boolean {
  const proxies = new NetworkSet(spec)
  return (address: string) => proxies.contains(address)
}

/**
 * The staff zone: the configured office networks plus ranges other modules
 * contribute at run time (the VPN range lives in the database). Office LAN
 * addresses never wait for a source; the contributed ranges are cached and
 * re-read after `ttlMs` or when a module says they changed.
 */
export class StaffZone {
  readonly #base: NetworkSet
  readonly #sources = new Map<string, () => Promise<string | null>>()
  #extra: NetworkSet | null = null
  #loadedAt = Number.NEGATIVE_INFINITY
  #loading: Promise<void> | null = null

  constructor(
    baseSpec: string,
    readonly ttlMs = 60_000,
    readonly now: () => number = () => Date.now()
  ) {
    this.#base = new NetworkSet(baseSpec)
  }

  /** A named loader of a comma-separated CIDR list (null: contributes nothing). */
  addSource(name: string, loader: () => Promise<string | null>) {
    this.#sources.set(name, loader)
    this.invalidate()
  }

  invalidate() {
    this.#loadedAt = Number.NEGATIVE_INFINITY
  }

  get extraEntries(): string[] {
    return this.#extra?.entries ?? []
  }

  async contains(address: string | undefined | null): Promise<boolean> {
    if (this.#base.contains(address)) return true
    if (this.#sources.size === 0) return false
    if (this.now() - this.#loadedAt >= this.ttlMs) await this.refresh()
    return this.#extra?.contains(address) ?? false
  }

  /** Reloads every source; concurrent callers share one load. A failing source keeps the last good ranges. */
  refresh(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        const specs = await Promise.all([...this.#sources.values()].map((load) => load()))
        this.#extra = new NetworkSet(specs.filter(Boolean).join(','))
        this.#loadedAt = this.now()
      } catch {
        /* Retried on the next request that needs it, never a 500 for the zone check itself. */
      } finally {
        this.#loading = null
      }
    })()
    return this.#loading
  }
}

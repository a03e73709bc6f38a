import crypto, { type KeyObject } from 'node:crypto'
import { syncBuiltinESMExports } from 'node:module'

/**
 * Node turns a Buffer key into a KeyObject on every createHmac/createCipheriv/createDecipheriv
 * call, and on this machine that conversion cost more than the work itself: an HMAC-SHA256 of a
 * cookie took 35–45 µs with a Buffer key and 6.5 µs with a KeyObject; AES-256-GCM 28–36 µs
 * against 10–16 µs. The framework signs or encrypts three to five cookies per signed-in page
 * with the same few application keys (app/core bench notes: about a tenth of a page's CPU).
 *
 * The three functions are wrapped once per process so that a Buffer key seen before reuses its
 * KeyObject. The cache is keyed by the Buffer object and holds a copy of its bytes: a Buffer
 * changed in place since (a key wiped or reused) no longer matches and gets a new KeyObject, so
 * the result is always the one Node would give. Entries go with their Buffers (WeakMap).
 */
const cache = new WeakMap<Buffer, { bytes: Buffer; key: KeyObject }>()

function keyObject(key: unknown): unknown {
  if (!Buffer.isBuffer(key)) return key
  const hit = cache.get(key)
  if (hit && hit.bytes.equals(key)) return hit.key
  const entry = { bytes: Buffer.from(key), key: crypto.createSecretKey(key) }
  cache.set(key, entry)
  return entry.key
}

let installed = false

export function installCryptoKeyCache() {
  if (installed) return
  installed = true
  const { createHmac, createCipheriv, createDecipheriv } = crypto
  const patched = crypto as any
  patched.createHmac = (algorithm: string, key: any, options?: any) =>
    createHmac(algorithm, keyObject(key) as any, options)
  patched.createCipheriv = (algorithm: string, key: any, iv: any, options?: any) =>
    createCipheriv(algorithm, keyObject(key) as any, iv, options)
  patched.createDecipheriv = (algorithm: string, key: any, iv: any, options?: any) =>
    createDecipheriv(algorithm, keyObject(key) as any, iv, options)
  /* ESM named imports of node:crypto (`import { createHmac } from 'crypto'`) follow. */
  syncBuiltinESMExports()
}

import Tokens from 'csrf'

/**
 * Shield gives every new visitor of a page with a form a CSRF secret from the `csrf` package,
 * whose `secret()` asks for the random bytes asynchronously: a trip through libuv's thread
 * pool and back for 18 bytes. On the staff login page, which every anonymous visitor opens,
 * that was a tenth of the page's CPU. The synchronous draw reads the same CSPRNG
 * (crypto.randomBytes) without the round trip.
 */
export function drawCsrfSecretsSynchronously() {
  Tokens.prototype.secret = function secret(this: Tokens) {
    return Promise.resolve(this.secretSync())
  } as Tokens['secret']
}

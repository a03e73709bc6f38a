import type { ApplicationService } from '@adonisjs/core/types'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import { installCryptoKeyCache } from '#core/services/crypto_key_cache'
import { drawCsrfSecretsSynchronously } from '#core/services/csrf_secrets'

/**
 * Wires Ratusz's shared helpers into Edge so every module's views format
 * money, dates and account numbers the same way.
 */
export default class RatuszProvider {
  constructor(protected app: ApplicationService) {}

  /* Before any provider signs or encrypts: cookies, CSRF and message signing all go through it. */
  register() {
    installCryptoKeyCache()
    drawCsrfSecretsSynchronously()
    this.#shieldOncePerProcess()
  }

  /*
   * @adonisjs/shield binds its middleware with `bind`, so every request with a form built a new
   * one: the container resolved the encrypter, imported edge.js and compiled the CSP directives
   * again (4 % of a signed-in page in the profile). The middleware keeps no per-request state
   * (its guards are functions of the config), so one instance serves every request.
   */
  #shieldOncePerProcess() {
    this.app.container.singleton(ShieldMiddleware, async (resolver) => {
      const config = this.app.config.get<any>('shield', {})
      const encryption = await resolver.make('encryption')
      const { default: edge } = await import('edge.js')
      return new ShieldMiddleware(config, encryption.use(), edge)
    })
  }

  async boot() {
    const { default: edge } = await import('edge.js')
    const { formatMoney } = await import('#core/services/money')
    const { formatNrb, formatDate } = await import('#core/services/formatting')
    const { ROLE_LABELS } = await import('#core/services/roles')
    const { moduleRegistry } = await import('#core/services/module_registry')
    const { default: ratuszConfig } = await import('#config/ratusz')
    edge.global('formatMoney', formatMoney)
    edge.global('formatNrb', formatNrb)
    edge.global('formatDate', formatDate)
    edge.global('roleLabels', ROLE_LABELS)
    /* The modules' sections of the staff menu (start/modules.ts). */
    edge.global('staffMenu', moduleRegistry.staffMenu)
    edge.global('currentMenuItem', moduleRegistry.currentItem.bind(moduleRegistry))
    edge.global('demoMode', ratuszConfig.demo)
    edge.global('encodeURIComponent', encodeURIComponent)

    /*
     * edge.js re-reads the components folder before every render unless told
     * otherwise; components only change with a deployment, so production lists them once.
     */
    if (this.app.inProduction) {
      const listComponents = edge.loader.listComponents.bind(edge.loader)
      let components: ReturnType<typeof listComponents> | undefined
      edge.loader.listComponents = () => (components ??= listComponents())
    }

    /* Every page renderer knows the visitor's language and path; built only when a page renders. */
    const { HttpContext } = await import('@adonisjs/core/http')
    HttpContext.getter(
      'view',
      function (this: InstanceType<typeof HttpContext>) {
        const locale = this.i18n?.locale ?? 'pl'
        return edge.createRenderer().share({
          request: this.request,
          ...(this.i18n ? { i18n: this.i18n } : {}),
          locale,
          currentPath: this.request.url(),
        })
      },
      true
    )
  }
}

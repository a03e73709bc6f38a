import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const HealthController = () => import('#core/controllers/health_controller')
const PublicPagesController = () => import('#core/controllers/public_pages_controller')

/* Anonymous, off the session stack: must stay fast. */
router.get('/up', [HealthController, 'show']).as('health')
router.get('/', [PublicPagesController, 'home']).as('home')
router.get('/kontakt', [PublicPagesController, 'contact']).as('contact')
router.get('/deklaracja-dostepnosci', [PublicPagesController, 'accessibility']).as('accessibility')
router.get('/ochrona-danych', [PublicPagesController, 'privacy']).as('privacy')
router.get('/jezyk/:locale', [PublicPagesController, 'switchLanguage']).as('language').where('locale', /^(pl|en)$/)

void middleware

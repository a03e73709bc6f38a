import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const HealthController = () => import('#core/controllers/health_controller')
const PublicPagesController = () => import('#core/controllers/public_pages_controller')
const SetupController = () => import('#core/controllers/setup_controller')
const StaffSessionController = () => import('#core/controllers/staff_session_controller')
const StaffDashboardController = () => import('#core/controllers/staff_dashboard_controller')
const StaffPasswordController = () => import('#core/controllers/staff_password_controller')
const OfficeProfileController = () => import('#core/controllers/office_profile_controller')
const StaffUsersController = () => import('#core/controllers/staff_users_controller')
const AuditController = () => import('#core/controllers/audit_controller')
const BackgroundTasksController = () => import('#core/controllers/background_tasks_controller')
const OutboxController = () => import('#core/controllers/outbox_controller')
const ResidentAccountController = () => import('#core/controllers/resident_account_controller')
const ResidentSessionController = () => import('#core/controllers/resident_session_controller')
const ResidentPasswordController = () => import('#core/controllers/resident_password_controller')
const ResidentMessagesController = () => import('#core/controllers/resident_messages_controller')

router.get('/', [PublicPagesController, 'home']).as('home')
router.get('/herb', [PublicPagesController, 'logo']).as('logo')
router.get('/kontakt', [PublicPagesController, 'contact']).as('contact')
router.get('/deklaracja-dostepnosci', [PublicPagesController, 'accessibility']).as('accessibility')
router.get('/ochrona-danych', [PublicPagesController, 'privacy']).as('privacy')
router
  .get('/jezyk/:locale', [PublicPagesController, 'switchLanguage'])
  .as('language')
  .where('locale', /^(pl|en)$/)

/** Session, CSRF and auth: only the groups with forms or a signed-in user. */
export const webStack = () => [
  middleware.session(),
  middleware.shield(),
  middleware.initAuth(),
  middleware.office(),
]
/** Staff pages: network zone first (cheap, and a 404 outside), then the web stack. */
export const staffStack = () => [middleware.staffZone(), ...webStack(), middleware.bouncer()]
/** Pages of a signed-in staff member, once the office is set up. */
export const signedInStaffStack = () => [
  ...staffStack(),
  middleware.setupDone(),
  middleware.staff(),
]

/*
 * Anonymous GET and HEAD /up are answered off the session stack by
 * HealthFastPathMiddleware and must stay fast; only `/up?deep=1` from the office
 * networks reaches this route, whose stack finds the signed-in administrator.
 */
router.get('/up', [HealthController, 'show']).as('health').use(staffStack())

/* First run: office profile and first administrator, once. */
router
  .group(() => {
    router.get('/setup', [SetupController, 'show']).as('setup.show')
    router.post('/setup', [SetupController, 'store']).as('setup.store')
  })
  .use(staffStack())

/* Staff sign-in */
router
  .group(() => {
    router
      .get('/logowanie', [StaffSessionController, 'show'])
      .as('staff.login.show')
      .use(middleware.guest({ guard: 'staff' }))
    router
      .post('/logowanie', [StaffSessionController, 'store'])
      .as('staff.login.store')
      .use(middleware.guest({ guard: 'staff' }))
    router.get('/logowanie/kod', [StaffSessionController, 'showTotp']).as('staff.totp.show')
    router.post('/logowanie/kod', [StaffSessionController, 'verifyTotp']).as('staff.totp.verify')
    router.get('/logowanie/2fa', [StaffSessionController, 'showEnroll']).as('staff.enroll.show')
    router
      .post('/logowanie/2fa', [StaffSessionController, 'confirmEnroll'])
      .as('staff.enroll.confirm')
  })
  .prefix('/panel')
  .use([...staffStack(), middleware.setupDone()])

/* Staff panel */
router
  .group(() => {
    router.get('/', [StaffDashboardController, 'show']).as('staff.dashboard')
    router.post('/wyloguj', [StaffSessionController, 'destroy']).as('staff.logout')
    router.get('/haslo', [StaffPasswordController, 'edit']).as('staff.password.edit')
    router.post('/haslo', [StaffPasswordController, 'update']).as('staff.password.update')

    router.get('/admin/urzad', [OfficeProfileController, 'edit']).as('admin.office.edit')
    router.post('/admin/urzad', [OfficeProfileController, 'update']).as('admin.office.update')
    router.get('/admin/pracownicy', [StaffUsersController, 'index']).as('admin.staff.index')
    router.get('/admin/pracownicy/nowy', [StaffUsersController, 'create']).as('admin.staff.create')
    router.post('/admin/pracownicy', [StaffUsersController, 'store']).as('admin.staff.store')
    router
      .get('/admin/pracownicy/:id', [StaffUsersController, 'edit'])
      .as('admin.staff.edit')
      .where('id', router.matchers.number())
    router
      .post('/admin/pracownicy/:id', [StaffUsersController, 'update'])
      .as('admin.staff.update')
      .where('id', router.matchers.number())
    router.get('/admin/dziennik', [AuditController, 'index']).as('admin.audit.index')
    router.get('/zadania', [BackgroundTasksController, 'index']).as('staff.tasks.index')
    router
      .get('/zadania/:id', [BackgroundTasksController, 'show'])
      .as('staff.tasks.show')
      .where('id', router.matchers.number())
    router
      .get('/zadania/:id/pobierz', [BackgroundTasksController, 'download'])
      .as('staff.tasks.download')
      .where('id', router.matchers.number())
    router.get('/admin/wiadomosci', [OutboxController, 'index']).as('admin.outbox.index')
    router
      .get('/admin/wiadomosci/:id', [OutboxController, 'show'])
      .as('admin.outbox.show')
      .where('id', router.matchers.number())
  })
  .prefix('/panel')
  .use(signedInStaffStack())

/* Residents (e-BOK accounts) */
router
  .group(() => {
    router
      .get('/rejestracja', [ResidentAccountController, 'create'])
      .as('resident.register.show')
      .use(middleware.guest({ guard: 'resident' }))
    router
      .post('/rejestracja', [ResidentAccountController, 'store'])
      .as('resident.register.store')
      .use(middleware.guest({ guard: 'resident' }))
    router
      .get('/weryfikacja/:token', [ResidentAccountController, 'showVerify'])
      .as('resident.verify.show')
    router.post('/weryfikacja/:token', [ResidentAccountController, 'verify']).as('resident.verify')
    router
      .get('/logowanie', [ResidentSessionController, 'show'])
      .as('resident.login.show')
      .use(middleware.guest({ guard: 'resident' }))
    router
      .post('/logowanie', [ResidentSessionController, 'store'])
      .as('resident.login.store')
      .use(middleware.guest({ guard: 'resident' }))
    router
      .get('/przypomnij-haslo', [ResidentPasswordController, 'forgot'])
      .as('resident.forgot.show')
    router
      .post('/przypomnij-haslo', [ResidentPasswordController, 'sendReset'])
      .as('resident.forgot.send')
    router
      .get('/nowe-haslo/:token', [ResidentPasswordController, 'showReset'])
      .as('resident.reset.show')
    router.post('/nowe-haslo/:token', [ResidentPasswordController, 'reset']).as('resident.reset')
  })
  .prefix('/konto')
  .use(webStack())

router
  .group(() => {
    router.get('/', [ResidentAccountController, 'dashboard']).as('resident.dashboard')
    router.post('/wyloguj', [ResidentSessionController, 'destroy']).as('resident.logout')
    router.get('/haslo', [ResidentPasswordController, 'edit']).as('resident.password.edit')
    router.post('/haslo', [ResidentPasswordController, 'update']).as('resident.password.update')
    router.get('/wiadomosci', [ResidentMessagesController, 'index']).as('resident.messages.index')
    router
      .get('/wiadomosci/:id', [ResidentMessagesController, 'show'])
      .as('resident.messages.show')
      .where('id', router.matchers.number())
    router
      .post('/wiadomosci/:id/przeczytana', [ResidentMessagesController, 'markRead'])
      .as('resident.messages.read')
      .where('id', router.matchers.number())
  })
  .prefix('/konto')
  .use([...webStack(), middleware.resident()])

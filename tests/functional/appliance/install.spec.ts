import { test } from '@japa/runner'
import { createHash } from 'node:crypto'
import { execFile } from 'node:child_process'
import {
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const APPLIANCE = join(PROJECT_ROOT, 'appliance')

interface Run {
  exitCode: number
  stdout: string
  stderr: string
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 10_000_000 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({ exitCode, stdout, stderr })
      }
    )
  })
}

/** Every entry under dir: path, type, mode, and the content hash or link target. */
async function treeFingerprint(dir: string, prefix = ''): Promise<string[]> {
  const lines: string[] = []
  const names = await readdir(join(dir, prefix))
  for (const name of names.sort()) {
    const rel = join(prefix, name)
    const stat = await lstat(join(dir, rel))
    const mode = (stat.mode & 0o7777).toString(8)
    if (stat.isSymbolicLink()) lines.push(`${rel} link ${await readlink(join(dir, rel))}`)
    else if (stat.isDirectory()) {
      lines.push(`${rel}/ ${mode}`)
      lines.push(...(await treeFingerprint(dir, rel)))
    } else {
      const hash = createHash('sha256')
        .update(await readFile(join(dir, rel)))
        .digest('hex')
      lines.push(`${rel} ${mode} ${hash}`)
    }
  }
  return lines
}

/** A small release: the real appliance folder and what the launcher reads, not the whole app. */
async function makeRelease(base: string) {
  const release = join(base, 'release')
  await mkdir(join(release, 'config'), { recursive: true })
  await cp(APPLIANCE, join(release, 'appliance'), { recursive: true })
  await cp(join(PROJECT_ROOT, 'package.json'), join(release, 'package.json'))
  await cp(join(PROJECT_ROOT, 'ace.js'), join(release, 'ace.js'))
  await cp(join(PROJECT_ROOT, 'config/node_flags.json'), join(release, 'config/node_flags.json'))
  return release
}

function envValue(text: string, key: string) {
  return new RegExp(`^${key}=(.*)$`, 'm').exec(text)?.[1]
}

const INSTALL_ARGS = ['--hostname', 'urzad.testowa.local', '--backup-dir', '/srv/kopie']

test.group('Appliance / install.sh --root', (group) => {
  let base: string
  let release: string
  group.each.setup(async () => {
    base = await mkdtemp(join(tmpdir(), 'ratusz-install-'))
    release = await makeRelease(base)
    return () => rm(base, { recursive: true, force: true })
  })

  test('installing twice gives an identical tree and secrets generated once', async ({
    assert,
  }) => {
    const root = join(base, 'root')
    const install = ['--root', root, '--release', release, ...INSTALL_ARGS]
    const first = await run(join(APPLIANCE, 'install.sh'), install)
    assert.equal(first.exitCode, 0, first.stderr)
    assert.match(first.stdout, /install: \d+ change\(s\), Ratusz /)
    // --root never touches the machine: the system commands are only printed.
    assert.match(first.stdout, /^would run: systemctl daemon-reload$/m)
    assert.match(first.stdout, /^would run: useradd --system/m)
    const before = await treeFingerprint(root)

    const second = await run(join(APPLIANCE, 'install.sh'), install)
    assert.equal(second.exitCode, 0, second.stderr)
    assert.include(second.stdout, 'install: no changes')
    assert.notMatch(second.stdout, /^changed:/m)
    assert.deepEqual(await treeFingerprint(root), before)

    const modes = Object.fromEntries(
      before.filter((l) => !l.includes(' link ')).map((l) => [l.split(' ')[0], l.split(' ')[1]])
    )
    assert.equal(modes['etc/ratusz/ratusz.env'], '600')
    assert.equal(modes['etc/ratusz/backup-password'], '600')
    assert.equal(modes['etc/wireguard/'], '700')
    assert.equal(modes['etc/wireguard/wg0.conf'], '600')
    assert.equal(modes['var/lib/ratusz/'], '750')
    assert.equal(await readlink(join(root, 'opt/ratusz/current')), 'releases/0.1.0')

    const envText = await readFile(join(root, 'etc/ratusz/ratusz.env'), 'utf8')
    assert.match(envValue(envText, 'APP_KEY') ?? '', /^[A-Za-z0-9]{30,}$/)
    assert.equal(envValue(envText, 'RATUSZ_BACKUP_REPOSITORY'), '/srv/kopie/restic')
    assert.include(envValue(envText, 'STAFF_NETWORKS') ?? '', '10.77.0.0/24')
    const caddy = await readFile(join(root, 'etc/caddy/Caddyfile'), 'utf8')
    assert.include(caddy, 'urzad.testowa.local {')
    assert.include(caddy, 'tls internal')
    assert.include(caddy, 'reverse_proxy 127.0.0.1:3333')

    // A changed option changes its key only; secrets and the administrator's own keys stay.
    await writeFile(join(root, 'etc/ratusz/ratusz.env'), envText + 'CUSTOM_SETTING=tak\n', {
      mode: 0o600,
    })
    const password = await readFile(join(root, 'etc/ratusz/backup-password'), 'utf8')
    const wgKey = /PrivateKey = (.+)/.exec(
      await readFile(join(root, 'etc/wireguard/wg0.conf'), 'utf8')
    )?.[1]
    const third = await run(join(APPLIANCE, 'install.sh'), [
      ...install,
      '--port',
      '4000',
      '--hostname',
      'bip.testowa.pl',
    ])
    assert.equal(third.exitCode, 0, third.stderr)
    const after = await readFile(join(root, 'etc/ratusz/ratusz.env'), 'utf8')
    assert.equal(envValue(after, 'PORT'), '4000')
    assert.equal(envValue(after, 'APP_KEY'), envValue(envText, 'APP_KEY'))
    assert.equal(envValue(after, 'PG_PASSWORD'), envValue(envText, 'PG_PASSWORD'))
    assert.equal(envValue(after, 'CUSTOM_SETTING'), 'tak')
    assert.equal(await readFile(join(root, 'etc/ratusz/backup-password'), 'utf8'), password)
    assert.include(await readFile(join(root, 'etc/wireguard/wg0.conf'), 'utf8'), `= ${wgKey}`)
    const publicCaddy = await readFile(join(root, 'etc/caddy/Caddyfile'), 'utf8')
    assert.include(publicCaddy, 'bip.testowa.pl {')
    assert.notInclude(publicCaddy, 'tls internal')
  }).timeout(60_000)

  test('every unit passes systemd-analyze verify and security (exposure at most 2.0)', async ({
    assert,
  }) => {
    const root = join(base, 'root')
    const installed = await run(join(APPLIANCE, 'install.sh'), [
      '--root',
      root,
      '--release',
      release,
      ...INSTALL_ARGS,
    ])
    assert.equal(installed.exitCode, 0, installed.stderr)
    // verify --root resolves dependencies (sysinit.target, …) and ExecStart inside the root.
    await cp('/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true })
    const installedUnits = await readdir(join(root, 'etc/systemd/system'))
    const units = installedUnits.filter((n) => n.startsWith('ratusz-'))
    assert.includeMembers(units, [
      'ratusz-web.service',
      'ratusz-worker.service',
      'ratusz-backup.service',
      'ratusz-backup.timer',
      'ratusz-backup-check.service',
      'ratusz-backup-check.timer',
      'ratusz-wg-sync.path',
      'ratusz-wg-sync.service',
    ])
    for (const unit of units) {
      const verify = await run('systemd-analyze', ['verify', `--root=${root}`, unit])
      assert.equal(verify.exitCode, 0, `${unit}: ${verify.stderr}`)
      assert.equal(verify.stderr.trim(), '', `${unit} warnings: ${verify.stderr}`)
      if (!unit.endsWith('.service')) continue
      const security = await run('systemd-analyze', [
        'security',
        '--offline=yes',
        `--root=${root}`,
        '--threshold=20',
        unit,
      ])
      assert.equal(security.exitCode, 0, `${unit}: ${security.stdout.slice(-400)}`)
      const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(security.stdout)?.[1])
      assert.isAtMost(exposure, 2.0, unit)
      const text = await readFile(join(root, 'etc/systemd/system', unit), 'utf8')
      if (unit !== 'ratusz-wg-sync.service') {
        // V8's JIT aborts under MemoryDenyWriteExecute.
        assert.notInclude(text, 'MemoryDenyWriteExecute')
        assert.match(text, /^User=ratusz$/m)
        assert.match(text, /^ProtectSystem=strict$/m)
        assert.match(text, /^ReadWritePaths=\/var\/lib\/ratusz/m)
      }
    }
    const backupUnit = await readFile(
      join(root, 'etc/systemd/system/ratusz-backup.service'),
      'utf8'
    )
    assert.include(backupUnit, 'ReadWritePaths=/var/lib/ratusz -/srv/kopie')
  }).timeout(120_000)

  test('bad options exit 2 with a message naming the option', async ({ assert }) => {
    const root = join(base, 'root')
    const badPort = await run(join(APPLIANCE, 'install.sh'), ['--root', root, '--port', 'abc'])
    assert.equal(badPort.exitCode, 2)
    assert.include(badPort.stderr, '--port must be a number')
    const badRange = await run(join(APPLIANCE, 'install.sh'), [
      '--root',
      root,
      '--vpn-range',
      '0.0.0.0',
    ])
    assert.equal(badRange.exitCode, 2)
    assert.include(badRange.stderr, '--vpn-range')
    const unknown = await run(join(APPLIANCE, 'install.sh'), ['--frobnicate'])
    assert.equal(unknown.exitCode, 2)
  }).timeout(30_000)
})

test.group('Appliance / shell scripts', () => {
  test('every appliance shell script passes shellcheck', async ({ assert }) => {
    const helpers = await readdir(join(APPLIANCE, 'libexec'))
    const scripts = [
      join(APPLIANCE, 'install.sh'),
      join(APPLIANCE, 'bin/ratusz'),
      ...helpers.map((n) => join(APPLIANCE, 'libexec', n)),
    ]
    const result = await run('shellcheck', ['--shell=bash', ...scripts])
    assert.equal(result.exitCode, 0, result.stdout)
  }).timeout(60_000)

  test('ratusz --help and each command --help print usage and exit 0', async ({ assert }) => {
    const cli = join(APPLIANCE, 'bin/ratusz')
    const main = await run(cli, ['--help'])
    assert.equal(main.exitCode, 0)
    assert.include(main.stdout, 'Exit codes:')
    for (const command of [
      'install',
      'status',
      'doctor',
      'backup',
      'restore',
      'vpn',
      'db:switch',
      'update',
    ]) {
      const help = await run(cli, [command, '--help'])
      assert.equal(help.exitCode, 0, command)
      assert.include(help.stdout, `Usage: ratusz ${command}`)
    }
    const unknown = await run(cli, ['frobnicate'])
    assert.equal(unknown.exitCode, 2)
    assert.include(unknown.stderr, "unknown command 'frobnicate'")
    const badAction = await run(cli, ['backup', 'explode'])
    assert.equal(badAction.exitCode, 2)
    const missing = await run(cli, ['doctor'], { RATUSZ_HOME: '/nonexistent' })
    assert.equal(missing.exitCode, 4)
    assert.include(missing.stderr, 'no Ratusz release at /nonexistent')
  }).timeout(30_000)
})

test.group('Appliance / ratusz-wg-apply', (group) => {
  let dir: string
  const KEY_A = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg='
  const KEY_B = 'TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0='
  group.each.setup(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ratusz-wg-'))
    await writeFile(
      join(dir, 'wg0.conf'),
      '[Interface]\nAddress = 10.77.0.1/24\nListenPort = 51820\nPrivateKey = secret\n\n[Peer]\nPublicKey = old\n',
      { mode: 0o644 }
    )
    return () => rm(dir, { recursive: true, force: true })
  })

  async function apply(peers: string) {
    await writeFile(join(dir, 'peers.conf'), peers)
    return run(join(APPLIANCE, 'libexec/ratusz-wg-apply'), [
      'wg0',
      join(dir, 'peers.conf'),
      '--config-dir',
      dir,
      '--no-sync',
    ])
  }

  test('applies valid peers, keeps the interface and rewrites the file 0600', async ({
    assert,
  }) => {
    const result = await apply(
      `[Peer]\nPublicKey = ${KEY_A}\nAllowedIPs = 10.77.0.2/32\n\n[Peer]\nPublicKey = ${KEY_B}\nAllowedIPs = 10.77.0.3/32\nPersistentKeepalive = 25\n`
    )
    assert.equal(result.exitCode, 0, result.stderr)
    const conf = await readFile(join(dir, 'wg0.conf'), 'utf8')
    assert.include(conf, 'PrivateKey = secret')
    assert.notInclude(conf, 'PublicKey = old')
    assert.equal(conf.match(/^\[Peer\]$/gm)?.length, 2)
    const stat = await lstat(join(dir, 'wg0.conf'))
    assert.equal((stat.mode & 0o777).toString(8), '600')
  }).timeout(30_000)

  test('rejects a route to everything, an address outside the range and foreign keys', async ({
    assert,
  }) => {
    const original = await readFile(join(dir, 'wg0.conf'), 'utf8')
    for (const [peers, reason] of [
      [`[Peer]\nPublicKey = ${KEY_A}\nAllowedIPs = 0.0.0.0/0\n`, 'AllowedIPs must be one address'],
      [`[Peer]\nPublicKey = ${KEY_A}\nAllowedIPs = 10.78.0.2/32\n`, 'outside 10.77.0.1/24'],
      [`[Peer]\nPublicKey = ${KEY_A}\nEndpoint = 1.2.3.4:1\n`, "key 'Endpoint' is not allowed"],
      [`[Interface]\nPrivateKey = ${KEY_A}\n`, 'expected [Peer]'],
      [`[Peer]\nPublicKey = not-a-key\n`, 'PublicKey is not a WireGuard key'],
    ]) {
      const result = await apply(peers)
      assert.equal(result.exitCode, 1, peers)
      assert.include(result.stderr, reason)
    }
    assert.equal(await readFile(join(dir, 'wg0.conf'), 'utf8'), original)
  }).timeout(30_000)
})

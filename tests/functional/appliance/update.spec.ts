import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAce } from '#tests/helpers'
import { Restic } from '#appliance/services/restic'

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const UPDATE = join(PROJECT_ROOT, 'appliance/libexec/ratusz-update')

interface Run {
  code: number
  stdout: string
  stderr: string
}

function run(command: string, args: string[], env: Record<string, string>, cwd?: string) {
  return new Promise<Run>((resolve) =>
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, cwd, timeout: 300_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    )
  )
}

async function script(path: string, text: string) {
  await writeFile(path, text)
  await chmod(path, 0o755)
}

/**
 * A release as an update receives it: package.json with the version, dependencies in
 * place (node_modules/.bin/node, so nothing is downloaded) and the administrator's CLI,
 * which hands over to this checkout's real CLI and ./ace. `healthy: false` makes a release
 * that never answers the health check and writes into the data directory while migrating.
 */
async function makeRelease(dir: string, version: string, healthy: boolean) {
  await mkdir(join(dir, 'appliance/bin'), { recursive: true })
  await mkdir(join(dir, 'node_modules/.bin'), { recursive: true })
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'ratusz', version, private: true }, null, 2)}\n`
  )
  await symlink(join(PROJECT_ROOT, 'node_modules/.bin/node'), join(dir, 'node_modules/.bin/node'))
  await writeFile(join(dir, 'HEALTH'), healthy ? 'ok\n' : 'broken\n')
  await script(
    join(dir, 'appliance/bin/ratusz'),
    [
      '#!/usr/bin/env bash',
      'set -euo pipefail',
      healthy
        ? ''
        : `[ "$1" != migrate ] || echo "${version}" > "$RATUSZ_DATA/files/written-by-${version}.txt"`,
      `RATUSZ_HOME='${PROJECT_ROOT}' exec '${PROJECT_ROOT}appliance/bin/ratusz' "$@"`,
      '',
    ].join('\n')
  )
}

test.group('Appliance / update with roll back', (group) => {
  let base: string
  let root: string
  let env: Record<string, string>
  let log: string

  group.each.setup(async () => {
    base = await mkdtemp(join(tmpdir(), 'ratusz-update-'))
    root = join(base, 'root')
    log = join(base, 'systemctl.log')
    await mkdir(join(base, 'disk'))
    await mkdir(join(base, 'data/files'), { recursive: true })
    await writeFile(join(base, 'data/files/before-update.txt'), 'decyzja sprzed aktualizacji')
    // The OS boundary: systemctl records what it is asked; curl answers /up for the release
    // the current link points at.
    const fakeBin = join(base, 'bin')
    await mkdir(fakeBin)
    await script(join(fakeBin, 'systemctl'), `#!/bin/sh\necho "$*" >> '${log}'\n`)
    await script(
      join(fakeBin, 'curl'),
      `#!/bin/sh\ngrep -qx ok '${root}/opt/ratusz/current/HEALTH' 2>/dev/null\n`
    )
    env = {
      PATH: `${fakeBin}:${process.env.PATH}`,
      NODE_ENV: 'test',
      DB_CONNECTION: 'sqlite',
      RATUSZ_DATA: join(base, 'data'),
      RATUSZ_BACKUP_DIR: join(base, 'disk'),
      RATUSZ_BACKUP_PASSWORD_FILE: join(base, 'keys/backup-password'),
      RATUSZ_AS_ROOT: '1',
    }
    const migrated = await runAce(['migration:run', '--force'], env)
    if (migrated.exitCode !== 0) throw new Error(migrated.stderr)
    await makeRelease(join(root, 'opt/ratusz/releases/0.1.0'), '0.1.0', true)
    await symlink('releases/0.1.0', join(root, 'opt/ratusz/current'))
    return () => rm(base, { recursive: true, force: true })
  })

  async function tarball(version: string, healthy: boolean) {
    const dir = join(base, 'build', `ratusz-${version}`)
    await makeRelease(dir, version, healthy)
    const file = join(base, `ratusz-${version}.tar.gz`)
    const packed = await run(
      'tar',
      ['-czf', file, '-C', join(base, 'build'), `ratusz-${version}`],
      {}
    )
    if (packed.code !== 0) throw new Error(packed.stderr)
    return file
  }

  async function systemctlCalls() {
    const text = await readFile(log, 'utf8')
    return text.trim().split('\n')
  }

  async function preUpdateSnapshots() {
    const restic = new Restic({
      repository: join(base, 'disk/restic'),
      passwordFile: env.RATUSZ_BACKUP_PASSWORD_FILE,
    })
    return restic.snapshots('pre-update')
  }

  test('a good release: backed up, unpacked, current switched, migrated, restarted, up', async ({
    assert,
  }) => {
    const release = await tarball('0.2.0', true)
    const result = await run('bash', [UPDATE, '--root', root, '--up-timeout', '5', release], env)
    assert.equal(result.code, 0, result.stderr + result.stdout)
    assert.include(result.stdout, '0.2.0 is up')
    assert.equal(await readlink(join(root, 'opt/ratusz/current')), 'releases/0.2.0')
    assert.isTrue(existsSync(join(root, 'opt/ratusz/releases/0.2.0/package.json')))
    assert.isTrue(existsSync(join(root, 'opt/ratusz/releases/0.1.0/package.json')))
    assert.isFalse(existsSync(join(root, 'opt/ratusz/current.new')))
    assert.lengthOf(await preUpdateSnapshots(), 1)
    assert.deepEqual(await systemctlCalls(), ['restart ratusz-web.service ratusz-worker.service'])
  }).timeout(300_000)

  test('a release that never answers /up: the previous release and the pre-update data come back', async ({
    assert,
  }) => {
    const release = await tarball('0.3.0', false)
    const result = await run('bash', [UPDATE, '--root', root, '--up-timeout', '3', release], env)
    assert.equal(result.code, 1, result.stderr + result.stdout)
    assert.include(result.stderr, 'did not answer the health check within 3 s')
    assert.include(result.stderr, 'rolled back')
    assert.equal(await readlink(join(root, 'opt/ratusz/current')), 'releases/0.1.0')
    assert.isFalse(existsSync(join(root, 'opt/ratusz/releases/0.3.0')))
    // What the bad release wrote is gone; what was there before the update is back.
    assert.isFalse(existsSync(join(base, 'data/files/written-by-0.3.0.txt')))
    assert.equal(
      await readFile(join(base, 'data/files/before-update.txt'), 'utf8'),
      'decyzja sprzed aktualizacji'
    )
    assert.lengthOf(await preUpdateSnapshots(), 1)
    assert.deepEqual(await systemctlCalls(), [
      'restart ratusz-web.service ratusz-worker.service',
      'stop ratusz-web.service ratusz-worker.service',
      'start ratusz-web.service ratusz-worker.service',
    ])
  }).timeout(300_000)

  test('a git revision becomes a release; bad usage exits 2 and changes nothing', async ({
    assert,
  }) => {
    const repo = join(base, 'git')
    await makeRelease(repo, '0.4.0', true)
    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
      ['-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-qm', 'release 0.4.0'],
      ['tag', 'v0.4.0'],
    ]) {
      const step = await run('git', args, {}, repo)
      assert.equal(step.code, 0, step.stderr)
    }
    const usage = await run('bash', [UPDATE, '--root', root], env)
    assert.equal(usage.code, 2)
    assert.include(usage.stderr, '--git REVISION')

    const result = await run(
      'bash',
      [UPDATE, '--root', root, '--up-timeout', '5', '--git', 'v0.4.0', '--repo', repo],
      env
    )
    assert.equal(result.code, 0, result.stderr + result.stdout)
    assert.equal(await readlink(join(root, 'opt/ratusz/current')), 'releases/0.4.0')
    assert.isTrue(existsSync(join(root, 'opt/ratusz/releases/0.4.0/appliance/bin/ratusz')))
  }).timeout(300_000)
})

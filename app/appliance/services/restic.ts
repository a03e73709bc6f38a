/*
 * A typed wrapper around the restic binary (Debian 12 ships 0.14). restic 0.14 exits 1
 * for every fatal error (the distinct codes 10/11/12 arrive in 0.17), so the kind of
 * failure is read from stderr and turned into a clear English message.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

export type ResticFailure =
  'wrong-password' | 'no-repository' | 'disk-missing' | 'locked' | 'partial' | 'failed'

export class ResticError extends Error {
  constructor(
    readonly kind: ResticFailure,
    message: string,
    readonly stderr = ''
  ) {
    super(message)
  }
}

export interface ResticSnapshot {
  id: string
  short_id: string
  time: string
  hostname: string
  paths: string[]
  tags?: string[]
}

export interface BackupSummary {
  snapshot_id: string
  files_new: number
  files_changed: number
  files_unmodified: number
  data_added: number
  total_files_processed: number
  total_bytes_processed: number
  total_duration: number
}

export interface RetentionPolicy {
  daily: number
  weekly: number
  monthly: number
}

export interface ResticOptions {
  repository: string
  passwordFile: string
  cacheDir?: string
}

interface RunResult {
  code: number
  stdout: string
  stderr: string
}

export class Restic {
  constructor(readonly options: ResticOptions) {}

  /** True when the repository is a local path (a disk), not a rest-server or sftp URL. */
  get isLocal() {
    return (
      !/^[a-z0-9]+:/i.test(this.options.repository) || this.options.repository.startsWith('local:')
    )
  }

  get localPath() {
    return this.options.repository.replace(/^local:/, '')
  }

  private run(args: string[], input?: { cwd?: string }): Promise<RunResult> {
    this.assertPasswordFile()
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      RESTIC_REPOSITORY: this.options.repository,
      RESTIC_PASSWORD_FILE: this.options.passwordFile,
      ...(this.options.cacheDir ? { RESTIC_CACHE_DIR: this.options.cacheDir } : {}),
    }
    const cacheArgs = this.options.cacheDir ? [] : ['--no-cache']
    return new Promise((resolve, reject) => {
      const child = spawn('restic', [...cacheArgs, ...args], { env, cwd: input?.cwd })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
      child.on('error', (error) =>
        reject(new ResticError('failed', `restic could not be started: ${error.message}`))
      )
      child.on('close', (code) =>
        resolve({
          code: code ?? 1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        })
      )
    })
  }

  /** The repository's disk must be there before restic is asked anything. */
  assertDiskPresent() {
    if (!this.isLocal) return
    const parent = dirname(this.localPath)
    if (!existsSync(parent)) {
      throw new ResticError(
        'disk-missing',
        `The backup disk is not available: ${parent} does not exist. Is the disk connected and mounted?`
      )
    }
  }

  private assertPasswordFile() {
    if (!existsSync(this.options.passwordFile)) {
      throw new ResticError(
        'failed',
        `The backup password file ${this.options.passwordFile} is missing (run 'ratusz install' to create it).`
      )
    }
  }

  private explain(result: RunResult, action: string): ResticError {
    const stderr = result.stderr
    const repo = this.options.repository
    if (/wrong password or no key found/i.test(stderr)) {
      return new ResticError(
        'wrong-password',
        `The backup repository ${repo} does not accept the password in ${this.options.passwordFile}: wrong password.`,
        stderr
      )
    }
    if (
      /Is there a repository at the following location\?/i.test(stderr) ||
      /unable to open config file/i.test(stderr)
    ) {
      return new ResticError(
        'no-repository',
        `There is no backup repository at ${repo}. Is the right disk mounted? ('ratusz backup run' creates a repository only before the first backup.)`,
        stderr
      )
    }
    if (/repository is already locked/i.test(stderr)) {
      return new ResticError(
        'locked',
        `The backup repository ${repo} is locked by another restic process. If none is running, clear the stale lock with 'restic unlock'.`,
        stderr
      )
    }
    const last = stderr.trim().split('\n').slice(-3).join(' ')
    return new ResticError(
      'failed',
      `restic ${action} failed (exit ${result.code}): ${last}`,
      stderr
    )
  }

  private async must(args: string[], action: string, cwd?: string) {
    this.assertDiskPresent()
    const result = await this.run(args, { cwd })
    if (result.code !== 0) throw this.explain(result, action)
    return result
  }

  async exists(): Promise<boolean> {
    this.assertDiskPresent()
    if (this.isLocal) return existsSync(join(this.localPath, 'config'))
    const result = await this.run(['cat', 'config'])
    if (result.code === 0) return true
    const error = this.explain(result, 'cat config')
    if (error.kind === 'no-repository') return false
    throw error
  }

  async init() {
    await this.must(['init'], 'init')
  }

  async snapshots(tag?: string): Promise<ResticSnapshot[]> {
    const args = ['snapshots', '--json', '--no-lock', ...(tag ? ['--tag', tag] : [])]
    const result = await this.must(args, 'snapshots')
    return JSON.parse(result.stdout || '[]') as ResticSnapshot[]
  }

  /**
   * Backs up paths; exit 3 (some files unreadable) is a partial snapshot and reported
   * as such, never as success.
   */
  async backup(
    paths: string[],
    options: { tags?: string[]; excludes?: string[]; host?: string; time?: string; cwd?: string }
  ): Promise<BackupSummary> {
    this.assertDiskPresent()
    const args = ['backup', '--json', ...paths]
    for (const tag of options.tags ?? []) args.push('--tag', tag)
    for (const exclude of options.excludes ?? []) args.push('--exclude', exclude)
    if (options.host) args.push('--host', options.host)
    if (options.time) args.push('--time', options.time)
    const result = await this.run(args, { cwd: options.cwd })
    const summaryLine = result.stdout
      .split('\n')
      .reverse()
      .find((line) => line.includes('"message_type":"summary"'))
    if (result.code === 3 && summaryLine) {
      throw new ResticError(
        'partial',
        `Backup incomplete: some files could not be read (snapshot ${JSON.parse(summaryLine).snapshot_id?.slice(0, 8)} is partial). ${result.stderr.trim().split('\n').slice(-3).join(' ')}`,
        result.stderr
      )
    }
    if (result.code !== 0 || !summaryLine) throw this.explain(result, 'backup')
    return JSON.parse(summaryLine) as BackupSummary
  }

  async restore(snapshot: string, target: string, include?: string[]) {
    const args = ['restore', snapshot, '--target', target]
    for (const path of include ?? []) args.push('--include', path)
    await this.must(args, 'restore')
  }

  async forget(policy: RetentionPolicy) {
    const result = await this.must(
      [
        'forget',
        '--json',
        '--prune',
        '--keep-daily',
        String(policy.daily),
        '--keep-weekly',
        String(policy.weekly),
        '--keep-monthly',
        String(policy.monthly),
      ],
      'forget'
    )
    const groups = JSON.parse(result.stdout.split('\n').find((l) => l.startsWith('[')) ?? '[]') as {
      keep: ResticSnapshot[] | null
      remove: ResticSnapshot[] | null
    }[]
    return {
      kept: groups.flatMap((g) => g.keep ?? []),
      removed: groups.flatMap((g) => g.remove ?? []),
    }
  }

  async check(readDataSubset?: string) {
    const args = ['check', ...(readDataSubset ? [`--read-data-subset=${readDataSubset}`] : [])]
    const result = await this.must(args, 'check')
    return result.stdout
  }

  /** Copies snapshots missing in the destination (the partner gmina's repository). */
  async copyTo(destination: Restic) {
    this.assertDiskPresent()
    // restic 0.14 runs copy against the destination and names the source with --from-repo.
    const result = await destination.run([
      'copy',
      '--from-repo',
      this.options.repository,
      '--from-password-file',
      this.options.passwordFile,
    ])
    if (result.code !== 0) throw destination.explain(result, 'copy')
    return result.stdout
  }

  async stats() {
    const result = await this.must(['stats', '--json', '--mode', 'raw-data', '--no-lock'], 'stats')
    return JSON.parse(result.stdout) as { total_size: number; total_file_count?: number }
  }
}

import { randomBytes } from 'node:crypto'
import { mkdir, open, rename } from 'node:fs/promises'
import { join } from 'node:path'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import ratuszConfig from '#config/ratusz'

/* Magic bytes per allowed extension: the name alone proves nothing. */
const SIGNATURES: Record<string, number[][]> = {
  png: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  jpg: [[0xff, 0xd8, 0xff]],
  jpeg: [[0xff, 0xd8, 0xff]],
  pdf: [[0x25, 0x50, 0x44, 0x46, 0x2d]],
}

export class UploadRejectedError extends Error {
  constructor(message: string) {
    super(message)
  }
}

async function headBytes(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/**
 * Stores an uploaded file outside the web root under a generated name, after
 * checking that its content matches its extension. Returns the path relative
 * to the files directory.
 */
export async function storeUpload(file: MultipartFile, folder: string): Promise<string> {
  const ext = (file.extname ?? '').toLowerCase()
  const signatures = SIGNATURES[ext]
  if (!file.tmpPath || !signatures) throw new UploadRejectedError('Niedozwolony typ pliku.')
  const head = await headBytes(file.tmpPath, 16)
  if (!signatures.some((sig) => sig.every((byte, i) => head[i] === byte))) {
    throw new UploadRejectedError('Zawartość pliku nie odpowiada jego rozszerzeniu.')
  }
  const dir = join(ratuszConfig.filesDir, folder)
  await mkdir(dir, { recursive: true })
  const name = `${randomBytes(12).toString('hex')}.${ext === 'jpeg' ? 'jpg' : ext}`
  await rename(file.tmpPath, join(dir, name))
  return `${folder}/${name}`
}

import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { EngineError } from '../../engine';

// PACS exports often name DICOM files without an extension; the reader goes by content.
const IMAGE_NAME = /(\.(png|jpe?g|dcm|dicom)|^[^.]+)$/i;
const NOT_IMAGES = new Set(['DICOMDIR', 'LICENSE', 'README', 'Makefile']);

/** Every image file under `folder`, recursing, as sorted POSIX paths relative to it; dot-entries skipped. */
export async function listImageFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      throw new EngineError('image-unsupported', `Cannot read the folder ${dir}.`);
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && IMAGE_NAME.test(entry.name) && !NOT_IMAGES.has(entry.name)) {
        found.push(relative(folder, path).split(sep).join(posix.sep));
      }
    }
  }
  await walk(folder);
  return found.sort(compareFiles);
}

/** One order for file lists everywhere (code-unit order, not locale order). */
export function compareFiles(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** sha256 of the sorted file list, one relative path per line: names the set of images a run covers. */
export function fileListSha256(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort(compareFiles)) hash.update(`${file}\n`);
  return hash.digest('hex');
}

/** sha256 over `path<TAB>sha256 of its bytes` lines, sorted by path: names the data itself. */
export function dataSha256(files: readonly { file: string; sha256: string }[]): string {
  const hash = createHash('sha256');
  for (const { file, sha256 } of [...files].sort((a, b) => compareFiles(a.file, b.file))) {
    hash.update(`${file}\t${sha256}\n`);
  }
  return hash.digest('hex');
}

/** `--shard i/N` (i from 0, as a Kubernetes Indexed Job's JOB_COMPLETION_INDEX): every N-th file from the i-th. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return count >= 1 && index < count ? { index, count } : undefined;
}

export function filesOfShard(files: readonly string[], shard: Shard | undefined): string[] {
  return shard ? files.filter((_, i) => i % shard.count === shard.index) : [...files];
}

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** An output path the command cannot write to: found before any analysis runs. */
export class OutputPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputPathError';
  }
}

const exists = (path: string) =>
  stat(path).then(
    (s) => s,
    () => undefined,
  );

/**
 * Checks that `dir` (given with `flag`, e.g. --heatmaps) is a folder that exists and can be
 * written, or can be created: its nearest existing ancestor is a writable folder.
 */
export async function checkOutputDir(dir: string, flag: string): Promise<void> {
  const target = resolve(dir);
  const found = await exists(target);
  if (found && !found.isDirectory()) {
    throw new OutputPathError(`${flag} ${dir} is an existing file, not a folder; give a folder for the output.`);
  }
  let existing = target;
  let info = found;
  while (!info) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
    info = await exists(existing);
  }
  if (info && !info.isDirectory()) {
    throw new OutputPathError(`${flag} ${dir} cannot be created: ${existing} is a file, not a folder.`);
  }
  try {
    await access(existing, constants.W_OK);
  } catch {
    throw new OutputPathError(`${flag} ${dir} cannot be written: no permission to write in ${existing}.`);
  }
}

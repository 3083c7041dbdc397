import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Folder that holds the `cxr_export` Python package. */
export const EXPORTER_DIR = __dirname;

/**
 * The interpreter that runs the exporter: $CXR_EXPORT_PYTHON, else Debian's /usr/bin/python3 (where
 * apt's python3-torch lives; another python3 may come first on PATH), else python3.
 */
export function exporterPython(): string {
  const chosen = process.env.CXR_EXPORT_PYTHON;
  if (chosen) return chosen;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** Environment for the exporter's Python: its package importable, output unbuffered, no .pyc in the tree. */
export function exporterEnv(): NodeJS.ProcessEnv {
  const pythonPath = [EXPORTER_DIR, process.env.PYTHONPATH].filter(Boolean).join(':');
  return { ...process.env, PYTHONPATH: pythonPath, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
}

/** Whether `python` can import what the exporter needs (PyTorch, torchvision, onnx). */
export function hasExporterDependencies(python: string = exporterPython()): boolean {
  const probe = spawnSync(python, ['-c', 'import torch, torchvision, onnx'], { stdio: 'ignore' });
  return probe.status === 0;
}

/**
 * `npm run export-model -- --format <chexnet|torchxrayvision> --checkpoint <file> --out <dir> [...]`
 * A thin launcher: the work is done by the Python package models/exporter/cxr_export (PyTorch + onnx);
 * `--help` lists every option.
 */
import { spawnSync } from 'node:child_process';
import { exporterEnv, exporterPython } from './exporterPython';

const python = exporterPython();
const run = spawnSync(python, ['-m', 'cxr_export', ...process.argv.slice(2)], { stdio: 'inherit', env: exporterEnv() });
if (run.error) {
  process.stderr.write(
    `error: could not start ${python} (${run.error.message}). Install python3 with python3-torch, ` +
      'python3-torchvision and python3-onnx, or point CXR_EXPORT_PYTHON at an interpreter that has them.\n',
  );
  process.exit(1);
}
process.exit(run.status ?? 1);

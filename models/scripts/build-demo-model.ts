/**
 * Writes the demo model (seeded random DenseNet-121, CheXNet head, in-graph Grad-CAM) and its manifest.
 *
 *   npx tsx models/scripts/build-demo-model.ts [--out models/demo] [--seed 121] [--no-cams]
 *
 * The same seed always gives a byte-identical model.onnx; an up-to-date output is left untouched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildDemoModel, DEFAULT_DEMO_SEED, DEMO_MODEL_FILE } from '../builder';

interface Arguments {
  outDir: string;
  seed: number;
  includeCams: boolean;
}

const USAGE = 'usage: build-demo-model.ts [--out models/demo] [--seed 121] [--no-cams]';

function parseArguments(argv: string[]): Arguments {
  // Default beside this script, so the output lands in models/demo whatever the working directory.
  const parsed: Arguments = { outDir: path.join(__dirname, '..', 'demo'), seed: DEFAULT_DEMO_SEED, includeCams: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === '--out') parsed.outDir = value();
    else if (flag === '--seed') parsed.seed = Number(value());
    else if (flag === '--no-cams') parsed.includeCams = false;
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  if (!Number.isSafeInteger(parsed.seed) || parsed.seed < 0 || parsed.seed > 0xffffffff) {
    throw new Error(`--seed must be an integer in [0, 2^32), got ${parsed.seed}`);
  }
  return parsed;
}

/** True when both files already hold exactly what would be written. */
function isUpToDate(modelPath: string, manifestPath: string, onnxBytes: Uint8Array, manifestText: string): boolean {
  if (!fs.existsSync(modelPath) || !fs.existsSync(manifestPath)) return false;
  return (
    fs.readFileSync(manifestPath, 'utf8') === manifestText &&
    Buffer.compare(fs.readFileSync(modelPath), onnxBytes) === 0
  );
}

function main(): void {
  const args = parseArguments(process.argv.slice(2));
  const started = performance.now();
  const { onnxBytes, manifest } = buildDemoModel(args.seed, { includeCams: args.includeCams });
  const buildSeconds = (performance.now() - started) / 1000;

  const modelPath = path.join(args.outDir, DEMO_MODEL_FILE);
  const manifestPath = path.join(args.outDir, 'manifest.json');
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;

  if (isUpToDate(modelPath, manifestPath, onnxBytes, manifestText)) {
    console.log(`unchanged, not rewritten: ${modelPath} (sha256 ${manifest.sha256})`);
  } else {
    fs.mkdirSync(args.outDir, { recursive: true });
    fs.writeFileSync(modelPath, onnxBytes);
    fs.writeFileSync(manifestPath, manifestText);
    console.log(`wrote ${modelPath} and ${manifestPath}`);
  }
  console.log(`  ${manifest.name} ${manifest.version}${args.includeCams ? '' : ' (no cams output)'}`);
  console.log(`  size   ${onnxBytes.length} bytes (${(onnxBytes.length / 2 ** 20).toFixed(1)} MiB)`);
  console.log(`  sha256 ${manifest.sha256}`);
  console.log(`  built in ${buildSeconds.toFixed(1)} s`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

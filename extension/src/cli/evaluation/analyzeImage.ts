import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EngineError, type LoadedModel } from '../../engine';
import { readImageFile } from '../io/readImageFile';

/** What the gate or the reader said of an image: 'unreadable' is the reader's refusal. */
export type ImageOutcomeKind = 'pass' | 'caution' | 'refuse' | 'unreadable';

/** One image's run: the model's probabilities, or the reason it has none. */
export interface ImageOutcome {
  file: string;
  /** DICOM SOP Instance UID; empty for PNG/JPEG. */
  sopInstanceUid: string;
  /** sha256 of the file's bytes. */
  sha256: string;
  gate: ImageOutcomeKind;
  /** The gate's sentences (caution or refusal), or the reader's message. */
  reason: string;
  /** In model order; absent when the image was refused or unreadable. */
  probabilities?: number[];
}

const isDicom = (bytes: Uint8Array) =>
  bytes.length > 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;

/** Reads one image and runs the model on it; refusals and unreadable files become outcomes, not errors. */
export async function analyzeImage(model: LoadedModel, path: string, file: string): Promise<ImageOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    return {
      file,
      sopInstanceUid: '',
      sha256: '',
      gate: 'unreadable',
      reason: `Cannot read ${file} (${String(error)}).`,
    };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    const pixels = await readImageFile(path);
    const sopInstanceUid = isDicom(bytes) && pixels.imageKey && pixels.imageKey !== file ? pixels.imageKey : '';
    try {
      const result = await model.analyze(pixels);
      return {
        file,
        sopInstanceUid,
        sha256,
        gate: result.gate?.outcome ?? 'pass',
        reason: (result.gate?.findings ?? []).map((f) => f.sentence).join(' '),
        probabilities: result.findings.map((f) => f.probability),
      };
    } catch (error) {
      if (error instanceof EngineError && error.code === 'image-refused') {
        const sentences = (error.gate?.findings ?? []).filter((f) => f.action === 'refuse').map((f) => f.sentence);
        return { file, sopInstanceUid, sha256, gate: 'refuse', reason: sentences.join(' ') || error.message };
      }
      throw error;
    }
  } catch (error) {
    if (error instanceof EngineError && error.code === 'image-unsupported') {
      return { file, sopInstanceUid: '', sha256, gate: 'unreadable', reason: error.message };
    }
    throw error;
  }
}

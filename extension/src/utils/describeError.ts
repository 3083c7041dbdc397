import { EngineError, type EngineErrorCode } from '../engine';

/**
 * Text a radiologist cannot act on: runtime internals (onnxruntime's protobuf and error codes,
 * WebAssembly aborts, stack frames, codec exceptions). Such text goes to the details line only.
 */
const TECHNICAL =
  /protobuf|ERROR_CODE|error code:? ?\d|onnxruntime|\bort\b|RuntimeError|Aborted\(|wasm|webassembly|\bat \S+ \(|0x[0-9a-f]{6,}|exception|undefined|null|TypeError|RangeError|out of bounds|offset/i;

/** Plain words for each engine error whose own message is technical. */
const PLAIN: Partial<Record<EngineErrorCode, string>> = {
  'model-unreadable': 'The model file is damaged or is not an ONNX model.',
  'model-mismatch': 'The model file does not match its description (manifest).',
  'manifest-invalid': 'The model description (manifest) cannot be read.',
  'inference-failed': 'The AI runtime stopped with an internal error.',
  'image-unsupported': 'This file is damaged or is not an image the AI can read.',
  'backend-unavailable': 'No AI runtime can start in this browser.',
};

const isTechnical = (text: string) => TECHNICAL.test(text);

/** The engine's message when it is plain words, else a plain sentence for its code. */
function plainMessage(error: EngineError): string {
  return isTechnical(error.message) ? (PLAIN[error.code] ?? 'An internal error occurred.') : error.message;
}

/**
 * The technical text behind a described error, for a details line (and the console): undefined
 * when the words shown already say everything.
 */
export function errorDetails(error: unknown): string | undefined {
  if (error instanceof EngineError) return isTechnical(error.message) ? error.message : undefined;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.trim() ? text : undefined;
}

/** What went wrong, in words a radiologist can act on; technical detail stays in errorDetails. */
export function describeError(error: unknown, during: 'model' | 'analysis' | 'heatmap'): string {
  if (error instanceof EngineError) {
    const message = plainMessage(error);
    switch (error.code) {
      case 'image-unsupported':
        return `This image cannot be analysed: ${message} The viewer works as usual.`;
      case 'image-refused':
        return `This image is not analysed: ${message} The viewer works as usual.`;
      case 'backend-unavailable':
        return `The AI cannot run on this computer: ${message} The viewer works as usual.`;
      case 'model-hash-mismatch':
      case 'manifest-invalid':
      case 'model-mismatch':
      case 'model-unreadable':
        return `The AI model could not be loaded, so no findings are shown. ${message} Please tell your PACS administrator; the viewer works as usual.`;
      case 'inference-failed':
        return `The analysis of this image failed: ${message} You can try again; the viewer works as usual.`;
    }
  }
  const text = error instanceof Error ? error.message : String(error);
  if (during === 'model') {
    // Name what failed (a file and its URL, as the loaders word it) for the administrator; guessing
    // "network" from the wording would send them to the wrong place. Runtime internals stay out.
    const what = isTechnical(text) && !/https?:\/\//.test(text) ? 'the AI runtime reported an internal error' : text;
    return `The AI model could not be started, so no findings are shown. Please tell your PACS administrator what failed: ${sentence(what)} The viewer works as usual.`;
  }
  if (during === 'heatmap') return isTechnical(text) ? 'an internal error occurred.' : text;
  if (isTechnical(text))
    return 'The analysis of this image failed with an internal error. You can try again; the viewer works as usual.';
  return `The analysis of this image failed (${text}). You can try again; the viewer works as usual.`;
}

/** The text as one sentence ending in a full stop. */
const sentence = (text: string) => `${text.trim().replace(/[.\s]+$/, '')}.`;

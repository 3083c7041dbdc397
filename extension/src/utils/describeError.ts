import { EngineError } from '../engine';

/** What went wrong, in words a radiologist can act on; technical detail stays in the console. */
export function describeError(error: unknown, during: 'model' | 'analysis' | 'heatmap'): string {
  if (error instanceof EngineError) {
    switch (error.code) {
      case 'image-unsupported':
        return `This image cannot be analysed: ${error.message} The viewer works as usual.`;
      case 'backend-unavailable':
        return `The AI cannot run on this computer: ${error.message} The viewer works as usual.`;
      case 'model-hash-mismatch':
      case 'manifest-invalid':
      case 'model-mismatch':
      case 'model-unreadable':
        return `The AI model could not be loaded, so no findings are shown. ${error.message} Please tell your PACS administrator; the viewer works as usual.`;
      case 'inference-failed':
        return `The analysis of this image failed: ${error.message} You can try again; the viewer works as usual.`;
    }
  }
  const text = error instanceof Error ? error.message : String(error);
  if (during === 'model') {
    // Name what failed (a file and its URL, as the loaders word it) for the administrator; guessing
    // "network" from the wording would send them to the wrong place.
    return `The AI model could not be started, so no findings are shown. Please tell your PACS administrator what failed: ${sentence(text)} The viewer works as usual.`;
  }
  if (during === 'heatmap') return text;
  return `The analysis of this image failed (${text}). You can try again; the viewer works as usual.`;
}

/** The text as one sentence ending in a full stop. */
const sentence = (text: string) => `${text.trim().replace(/[.\s]+$/, '')}.`;

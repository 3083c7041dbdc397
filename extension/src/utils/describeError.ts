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
    if (/fetch|network|import|load/i.test(text)) {
      return 'The AI model could not be downloaded, so no findings are shown. Please check the network or tell your PACS administrator; the viewer works as usual.';
    }
    return `The AI model could not be started, so no findings are shown (${text}). The viewer works as usual.`;
  }
  if (during === 'heatmap') return text;
  return `The analysis of this image failed (${text}). You can try again; the viewer works as usual.`;
}

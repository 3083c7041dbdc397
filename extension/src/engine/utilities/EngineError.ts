import type { GateAssessment } from '../types/ChestFilmGate';

/** What went wrong, in words fit to show a radiologist or print as a one-line CLI message. */
export type EngineErrorCode =
  | 'manifest-invalid'
  | 'model-hash-mismatch'
  | 'model-mismatch'
  | 'model-unreadable'
  | 'image-unsupported'
  /** The chest-film gate refused the image: `gate` says which checks and why. */
  | 'image-refused'
  | 'backend-unavailable'
  | 'inference-failed';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** The gate's assessment, for 'image-refused'. */
    readonly gate?: GateAssessment,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

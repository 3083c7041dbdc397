/** What went wrong, in words fit to show a radiologist or print as a one-line CLI message. */
export type EngineErrorCode =
  | 'manifest-invalid'
  | 'model-hash-mismatch'
  | 'model-mismatch'
  | 'model-unreadable'
  | 'image-unsupported'
  | 'backend-unavailable'
  | 'inference-failed';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

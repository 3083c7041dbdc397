import { EngineError } from '../engine';
import { describeError } from './describeError';

describe('describeError', () => {
  it('names what failed to load for the administrator instead of blaming the network', () => {
    const url = 'https://pacs.example/plugins/ort/ort.webgpu.min.mjs';
    const text = describeError(
      new Error(
        `the AI runtime (onnxruntime-web) could not be loaded from ${url} (Failed to fetch dynamically imported module: ${url}).`,
      ),
      'model',
    );
    expect(text).toContain(url);
    expect(text).toMatch(/PACS administrator/);
    expect(text).not.toMatch(/network/i);
    expect(text).toMatch(/viewer works as usual\.$/);
  });

  it("passes the engine's own words on for model problems", () => {
    const text = describeError(
      new EngineError('model-unreadable', 'The model file https://x/model.onnx could not be read (HTTP 404).'),
      'model',
    );
    expect(text).toContain('https://x/model.onnx');
    expect(text).toMatch(/could not be loaded/);
  });

  it('keeps analysis failures retryable in words', () => {
    expect(describeError(new Error('boom'), 'analysis')).toMatch(/boom.*try again/);
  });
});

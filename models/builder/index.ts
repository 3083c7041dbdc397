/** Builds ONNX models in memory (Node tooling, not part of the viewer): a graph writer, a DenseNet builder and the demo model. */
export { OnnxGraphWriter, attribute, ONNX_OPSET_VERSION, ONNX_IR_VERSION } from './OnnxGraphWriter';
export type { AttributeValue, Attributes, ModelMetadata, TensorData } from './OnnxGraphWriter';
export { buildDenseNet, densenet121Config, TENSOR_NAMES } from './densenet';
export type { DenseNetConfig, DenseNetModel, Shape4 } from './densenet';
export {
  buildDemoModel,
  CHEXNET_FINDINGS,
  DEFAULT_DEMO_SEED,
  DEMO_FULL_SCALE_LOGITS,
  DEMO_MODEL_FILE,
  DEMO_MODEL_NAME,
} from './demoModel';
export type { DemoModel, DemoModelOptions } from './demoModel';
export { SeededRandom } from './random';

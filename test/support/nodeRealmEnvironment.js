// Jest's Node environment with the main realm's typed arrays. Jest already shares ArrayBuffer and
// Uint8Array with the test's sandbox; native addons (onnxruntime-node, the CLI's default backend)
// also hand back Float32Array and friends made in the main realm, which onnxruntime-common's
// `instanceof` checks inside the sandbox would otherwise reject ("A float32 tensor's data must be
// type of function Float32Array()"). Sharing the rest of the family keeps one realm for all.
'use strict';
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'Int8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'DataView',
];

class NodeRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = NodeRealmEnvironment;

/** Unit and engine tests run in Node; browser tests (test/browser, test/e2e) drive Debian's Chromium. */
module.exports = {
  // Node, with the main realm's typed arrays (onnxruntime-node returns them): see the file.
  testEnvironment: '<rootDir>/test/support/nodeRealmEnvironment.js',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['**/?(*.)test.ts?(x)'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120000,
  // vtk.js is native ESM only; see the file for what stands in for it and where the real one runs.
  moduleNameMapper: {
    '^@kitware/vtk\\.js/(Rendering/Core/ColorTransferFunction|Common/DataModel/PiecewiseFunction)\\.js$':
      '<rootDir>/test/support/vtkTransferFunctionRecorder.ts',
  },
};

/** Unit and engine tests run in Node; browser tests (test/browser, test/e2e) drive Debian's Chromium. */
module.exports = {
  testEnvironment: 'node',
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

/**
 * Stands in for vtk.js's ColorTransferFunction and PiecewiseFunction in jest only: vtk.js ships
 * as native ES modules, which this CommonJS jest cannot load. It records the points the layer code
 * sets, so unit tests can check colours and opacities; the real classes run in the e2e tests
 * (test/e2e) inside Chromium.
 */
export interface RecordedFunction {
  rgbPoints: [number, number, number, number][];
  points: [number, number][];
  clamping?: boolean;
  addRGBPoint(x: number, r: number, g: number, b: number): void;
  addPoint(x: number, y: number): void;
  setClamping(on: boolean): void;
}

function newInstance(): RecordedFunction {
  const fn: RecordedFunction = {
    rgbPoints: [],
    points: [],
    addRGBPoint: (x, r, g, b) => fn.rgbPoints.push([x, r, g, b]),
    addPoint: (x, y) => fn.points.push([x, y]),
    setClamping: (on) => {
      fn.clamping = on;
    },
  };
  return fn;
}

export default { newInstance };

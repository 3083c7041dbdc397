/**
 * The parts of a Cornerstone 5.6 stack viewport this extension touches, typed structurally so the
 * OHIF layer compiles without the host's classes and its unit tests can hand in plain fakes.
 */
export interface ActorEntry {
  uid: string;
  referencedId?: string;
  actor?: unknown;
}

export interface ImageLayerInput {
  imageId: string;
  actorUID: string;
  callback: (args: { imageActor: HeatmapActor }) => void;
}

/** The vtk image actor of a layer: the calls we make on it. */
export interface HeatmapActor {
  getMapper(): { getInputData(): unknown };
  getProperty(): {
    setRGBTransferFunction(index: number, fn: unknown): void;
    setScalarOpacity(index: number, fn: unknown): void;
    setUseLookupTableScalarRange?(on: boolean): void;
    setInterpolationTypeToLinear?(): void;
  };
  setForceTranslucent?(on: boolean): void;
}

export interface ViewportLike {
  id: string;
  element?: HTMLElement;
  getCurrentImageId?(): string | undefined;
  getCornerstoneImage?(): unknown;
  getActor?(uid: string): ActorEntry | undefined;
  getActors?(): ActorEntry[];
  removeActors?(uids: string[]): void;
  addImages?(inputs: ImageLayerInput[]): void;
  render?(): void;
  worldToCanvas?(world: readonly number[]): [number, number];
  getImageData?(): { imageData?: { indexToWorld(ijk: readonly number[]): number[] } } | undefined;
}

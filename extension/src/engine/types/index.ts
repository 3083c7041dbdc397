export * from './ModelManifest';
export * from './RadiographPixels';
export * from './Analysis';
export * from './Session';
export * from './ChestFilmGate';

import packageJson from '../package.json';
import extensionPackageJson from '../../extension/package.json';
// Only the extension's constants (its id.ts imports nothing but its package.json): the extension
// itself is not bundled into the mode.
import { id as extensionId, PANEL_ID as EXTENSION_PANEL_ID } from '../../extension/src/id';

export const id: string = packageJson.name;
export const EXTENSION_ID: string = extensionId;
export const EXTENSION_VERSION: string = extensionPackageJson.version;
export const PANEL_ID: string = EXTENSION_PANEL_ID;

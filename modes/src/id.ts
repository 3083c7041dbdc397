import packageJson from '../package.json';
import extensionPackageJson from '../../extension/package.json';

export const id: string = packageJson.name;
export const EXTENSION_ID: string = extensionPackageJson.name;
export const EXTENSION_VERSION: string = extensionPackageJson.version;
export const PANEL_ID = `${EXTENSION_ID}.panelModule.chestXrayAi`;

import type * as CornerstoneCore from '@cornerstonejs/core';
import type { ExtensionManager } from '../ohifTypes';

export type Cornerstone = typeof CornerstoneCore;

/**
 * The host viewer's Cornerstone, through OHIF's cornerstone extension. A second, bundled copy would
 * have its own cache, metadata providers and rendering engines, and see none of the host's images.
 */
export function getCornerstone(extensionManager: ExtensionManager): Cornerstone {
  const entry = extensionManager.getModuleEntry('@ohif/extension-cornerstone.utilityModule.common');
  const libraries = entry?.exports?.getCornerstoneLibraries?.();
  if (!libraries?.cornerstone) {
    throw new Error('The viewer does not expose Cornerstone (@ohif/extension-cornerstone is missing).');
  }
  return libraries.cornerstone as Cornerstone;
}

import type * as CornerstoneCore from '@cornerstonejs/core';
import type { ExtensionManager } from '../ohifTypes';

export type Cornerstone = typeof CornerstoneCore;

/**
 * Host globals that hold the viewer's Cornerstone, tried only when the utility module is missing:
 * `@cornerstonejs/core` is the package-name global of OHIF's run-time plugin contract (3.14 line,
 * platform/app/src/runtimeShared.ts; not set by the published 3.14.0-beta.6), `cornerstone` the one
 * the cornerstone extension's init sets in 3.13 and 3.14.
 */
const HOST_GLOBALS = ['@cornerstonejs/core', 'cornerstone'] as const;

function looksLikeCornerstone(value: unknown): value is Cornerstone {
  return !!value && typeof value === 'object' && 'metaData' in value && 'getRenderingEngine' in value;
}

/**
 * The host viewer's Cornerstone, through OHIF's cornerstone extension (its utility module, in 3.13
 * and 3.14), else from a host global. A second, bundled copy would have its own cache, metadata
 * providers and rendering engines, and see none of the host's images.
 */
export function getCornerstone(extensionManager: ExtensionManager): Cornerstone {
  const entry = extensionManager.getModuleEntry('@ohif/extension-cornerstone.utilityModule.common');
  const libraries = entry?.exports?.getCornerstoneLibraries?.();
  if (libraries?.cornerstone) return libraries.cornerstone as Cornerstone;
  const host = globalThis as unknown as Record<string, unknown>;
  for (const name of HOST_GLOBALS) {
    const candidate = host[name];
    if (looksLikeCornerstone(candidate)) return candidate;
  }
  throw new Error('The viewer does not expose Cornerstone (@ohif/extension-cornerstone is missing).');
}

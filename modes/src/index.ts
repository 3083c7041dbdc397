import type { ExtensionParams } from '../../extension/src/ohifTypes';
import { modeCustomizations } from './hotkeys';
import { EXTENSION_ID, EXTENSION_VERSION, id, PANEL_ID } from './id';
import { initToolGroups } from './initToolGroups';
import { moreToolsSection, primarySection, toolbarButtons } from './toolbarButtons';

const ohif = {
  layout: '@ohif/extension-default.layoutTemplateModule.viewerLayout',
  sopClassHandler: '@ohif/extension-default.sopClassHandlerModule.stack',
  seriesList: '@ohif/extension-default.panelModule.seriesList',
  viewport: '@ohif/extension-cornerstone.viewportModule.cornerstone',
};

/** Modalities of the projection radiographs this mode is for. */
const MODALITIES = ['CR', 'DX'];

/**
 * Where the extension comes from. A prebuilt viewer loads mode dependencies through the same
 * run-time importer as `window.config.extensions`, so there the key is the plugin's URL, beside
 * this mode's own file; a site build resolves the package name.
 */
function extensionDependencyKey(): string {
  if (typeof __CXR_RUNTIME_BUNDLE__ !== 'undefined' && __CXR_RUNTIME_BUNDLE__) {
    return new URL('chest-xray-ai-extension.mjs', new URL(__webpack_public_path__, window.location.href)).pathname;
  }
  return EXTENSION_ID;
}

function modeFactory({ modeConfiguration }: { modeConfiguration?: Record<string, unknown> } = {}) {
  return {
    id,
    routeName: 'chest-xray-ai',
    displayName: 'Chest X-ray AI',
    onModeEnter({ servicesManager, extensionManager, commandsManager }: ExtensionParams) {
      const { toolbarService, toolGroupService } = servicesManager.services;
      initToolGroups(extensionManager, toolGroupService);
      toolbarService.register(toolbarButtons);
      toolbarService.updateSection('primary', primarySection);
      toolbarService.updateSection('MoreTools', moreToolsSection);
      commandsManager.runCommand('chestXrayAiActivate');
    },
    onModeExit({ servicesManager }: Pick<ExtensionParams, 'servicesManager'>) {
      const { toolGroupService, uiDialogService, uiModalService } = servicesManager.services;
      uiDialogService?.hideAll?.();
      uiModalService?.hide?.();
      toolGroupService.destroy();
    },
    validationTags: { study: [], series: [] },
    /** Valid for a study with at least one CR or DX series. */
    isValidMode({ modalities }: { modalities?: string }) {
      const list = (modalities ?? '').split('\\').map((m) => m.trim().toUpperCase());
      const valid = list.some((m) => MODALITIES.includes(m));
      return { valid, description: valid ? 'Chest radiograph (CR/DX)' : 'Chest X-ray AI needs a CR or DX study' };
    },
    routes: [
      {
        path: 'chest-xray-ai',
        layoutTemplate: () => ({
          id: ohif.layout,
          props: {
            leftPanels: [ohif.seriesList],
            leftPanelResizable: true,
            rightPanels: [PANEL_ID],
            rightPanelClosed: false,
            rightPanelResizable: true,
            viewports: [{ namespace: ohif.viewport, displaySetsToDisplay: [ohif.sopClassHandler] }],
          },
        }),
      },
    ],
    extensions: extensionDependencies(),
    hangingProtocol: 'default',
    sopClassHandlers: [ohif.sopClassHandler],
    /** Our hotkeys, added to OHIF's defaults (modes/src/hotkeys.ts). */
    modeCustomizations: modeCustomizations(),
    ...(modeConfiguration ?? {}),
  };
}

function extensionDependencies(): Record<string, string> {
  return {
    '@ohif/extension-default': '^3.0.0',
    '@ohif/extension-cornerstone': '^3.0.0',
    [extensionDependencyKey()]: `^${EXTENSION_VERSION}`,
  };
}

const mode = {
  id,
  modeFactory,
  get extensionDependencies() {
    return extensionDependencies();
  },
};

export default mode;

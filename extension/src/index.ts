import getCommandsModule from './commandsModule';
import getPanelModule from './getPanelModule';
import { id, SERVICE_NAME } from './id';
import type { ExtensionParams } from './ohifTypes';
import { ChestXrayAiService } from './services/ChestXrayAiService';

export type { ChestXrayAiConfig } from './config';

/**
 * Chest X-ray AI for OHIF 3: a findings panel, per-finding Grad-CAM heatmap layers, commands.
 * Configure in app-config.js with `chestXrayAi: { modelManifestUrl, autoRun, findings, backend }`.
 */
const extension = {
  id,

  preRegistration({ servicesManager, configuration, appConfig }: ExtensionParams) {
    servicesManager.registerService(ChestXrayAiService.REGISTRATION);
    const service = servicesManager.services[SERVICE_NAME] as ChestXrayAiService;
    service.configure(appConfig?.chestXrayAi, configuration);
  },

  getPanelModule,
  getCommandsModule,
};

export default extension;

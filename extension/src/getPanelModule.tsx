import React from 'react';
import { PANEL_NAME, SERVICE_NAME } from './id';
import type { ExtensionParams, PanelModuleEntry } from './ohifTypes';
import { PanelHost } from './panels/PanelHost';
import type { ChestXrayAiService } from './services/ChestXrayAiService';

export default function getPanelModule({ servicesManager, commandsManager }: ExtensionParams): PanelModuleEntry[] {
  const getService = () => servicesManager.services[SERVICE_NAME] as ChestXrayAiService;
  return [
    {
      name: PANEL_NAME,
      iconName: 'tab-linear',
      iconLabel: 'Chest AI',
      label: 'Chest X-ray AI',
      // Called by the host's React as a function component: it must use no hooks.
      component: () => <PanelHost getService={getService} commandsManager={commandsManager} />,
    },
  ];
}

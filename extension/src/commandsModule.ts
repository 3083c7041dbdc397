import { SERVICE_NAME } from './id';
import type { CommandsModule, ExtensionParams } from './ohifTypes';
import type { ChestXrayAiService } from './services/ChestXrayAiService';
import type { FindingOrder, HeatmapColouring } from './types';

/**
 * The extension's actions. The panel, toolbar buttons and hotkeys go through these, never through
 * the service directly, so a site can bind them (e.g. a key that toggles a finding's heatmap).
 */
export default function getCommandsModule({ servicesManager }: ExtensionParams): CommandsModule {
  const service = () => servicesManager.services[SERVICE_NAME] as ChestXrayAiService;

  const actions = {
    /** Follows the active viewport (the mode and the panel call this). */
    chestXrayAiActivate: () => service().activate(),
    /** Analyses the active radiograph; `force` re-runs even when a result is kept. */
    chestXrayAiRun: ({ force }: { force?: boolean } = {}) => service().run({ force }),
    /** Turns one finding's heatmap on or off (toggles without `visible`). Several may be on. */
    chestXrayAiShowHeatmap: ({ finding, visible }: { finding: string; visible?: boolean }) =>
      service().setHeatmapVisible(finding, visible),
    chestXrayAiSetOpacity: ({ opacity }: { opacity: number }) => service().setHeatmapLook({ opacity }),
    chestXrayAiSetHeatmapThreshold: ({ threshold }: { threshold: number }) => service().setHeatmapLook({ threshold }),
    chestXrayAiSetColormap: ({ colormap }: { colormap: HeatmapColouring }) => service().setHeatmapLook({ colormap }),
    /** 'fill' or 'outline' (isolines that leave the film visible). */
    chestXrayAiSetHeatmapStyle: ({ style }: { style: 'fill' | 'outline' }) => service().setHeatmapLook({ style }),
    /** 'model' order or by 'score'; remembered on this workstation. */
    chestXrayAiSetFindingOrder: ({ order }: { order: FindingOrder }) => service().setFindingOrder(order),
    // Hotkeys (the mode binds them; a site rebinds them in app-config `hotkeys`).
    /** Hides or brings back every AI overlay, keeping the choices. */
    chestXrayAiToggleOverlays: () => service().toggleOverlays(),
    /** Shows the next / previous finding's heatmap alone, in the panel's order. */
    chestXrayAiNextHeatmap: () => service().stepHeatmap(1),
    chestXrayAiPreviousHeatmap: () => service().stepHeatmap(-1),
    /** Switches between filled maps and outlines. */
    chestXrayAiToggleOutline: () => service().toggleOutline(),
    chestXrayAiOpacityUp: () => service().stepOpacity(1),
    chestXrayAiOpacityDown: () => service().stepOpacity(-1),
    /** Hides every heatmap; `{ results: true }` also forgets this session's results. */
    chestXrayAiClear: ({ results }: { results?: boolean } = {}) => service().clear({ results }),
  };

  const definitions = Object.fromEntries(Object.entries(actions).map(([name, commandFn]) => [name, { commandFn }]));

  return { actions, definitions, defaultContext: 'CHEST_XRAY_AI' };
}

import { SERVICE_NAME } from './id';
import type { CommandsModule, ExtensionParams } from './ohifTypes';
import type { HeatmapDrawer } from './overlays/HeatmapDrawer';
import type { ChestXrayAiService } from './services/ChestXrayAiService';
import { stepFinding } from './services/findingOrder';
import type { FindingOrder, HeatmapColouring } from './types';

/**
 * The extension's actions. The panel, toolbar buttons and hotkeys go through these, never through
 * the service directly, so a site can bind them (e.g. a key that toggles a finding's heatmap).
 */
export default function getCommandsModule({ servicesManager }: ExtensionParams): CommandsModule {
  const service = () => servicesManager.services[SERVICE_NAME] as ChestXrayAiService;
  const heatmaps = (change: (h: HeatmapDrawer) => void) => service().updateHeatmaps(change);
  const stepHeatmap = (direction: 1 | -1) =>
    heatmaps((h) => {
      const listed = service().findings.listed(service().getState().result);
      const next = stepFinding(listed, h.settings.visible.at(-1), direction);
      if (next) h.showOnly([next]);
    });

  const actions = {
    /** Follows the active viewport (the mode and the panel call this). */
    chestXrayAiActivate: () => service().activate(),
    /** Analyses the active radiograph; `force` re-runs even when a result is kept. */
    chestXrayAiRun: ({ force }: { force?: boolean } = {}) => service().run({ force }),
    /** Turns one finding's heatmap on or off (toggles without `visible`). Several may be on. */
    chestXrayAiShowHeatmap: ({ finding, visible }: { finding: string; visible?: boolean }) =>
      heatmaps((h) => h.setVisible(finding, visible)),
    chestXrayAiSetOpacity: ({ opacity }: { opacity: number }) => heatmaps((h) => h.setLook({ opacity })),
    chestXrayAiSetHeatmapThreshold: ({ threshold }: { threshold: number }) => heatmaps((h) => h.setLook({ threshold })),
    chestXrayAiSetColormap: ({ colormap }: { colormap: HeatmapColouring }) => heatmaps((h) => h.setLook({ colormap })),
    /** 'fill' or 'outline' (isolines that leave the film visible). */
    chestXrayAiSetHeatmapStyle: ({ style }: { style: 'fill' | 'outline' }) => heatmaps((h) => h.setLook({ style })),
    /** 'model' order or by 'score'; remembered on this workstation. */
    chestXrayAiSetFindingOrder: ({ order }: { order: FindingOrder }) => service().setFindingOrder(order),
    // Hotkeys (the mode binds them; a site rebinds them in app-config `hotkeys`).
    /** Hides or brings back every AI overlay, keeping the choices. */
    chestXrayAiToggleOverlays: () => heatmaps((h) => h.toggleHidden()),
    /** Shows the next / previous finding's heatmap alone, in the panel's order. */
    chestXrayAiNextHeatmap: () => stepHeatmap(1),
    chestXrayAiPreviousHeatmap: () => stepHeatmap(-1),
    /** Switches between filled maps and outlines. */
    chestXrayAiToggleOutline: () => heatmaps((h) => h.toggleStyle()),
    chestXrayAiOpacityUp: () => heatmaps((h) => h.stepOpacity(1)),
    chestXrayAiOpacityDown: () => heatmaps((h) => h.stepOpacity(-1)),
    /**
     * Sends the shown result to the PACS through the viewer's data source (STOW-RS): an SR, the
     * heatmaps as Parametric Maps, a capture per shown map. A result is sent once; a failed send again.
     */
    chestXrayAiSendToPacs: () => service().sendToPacs(),
    /** Hides every heatmap; `{ results: true }` also forgets this session's results. */
    chestXrayAiClear: ({ results }: { results?: boolean } = {}) => service().clear({ results }),
  };

  const definitions = Object.fromEntries(Object.entries(actions).map(([name, commandFn]) => [name, { commandFn }]));

  return { actions, definitions, defaultContext: 'CHEST_XRAY_AI' };
}

/**
 * The Chest X-ray AI mode's default hotkeys, as pure data: the mode binds them through OHIF's
 * hotkeys manager and the panel lists them in its help. Nothing here imports the service, so the
 * mode bundle stays free of the extension's code.
 *
 * Keys use OHIF's (Mousetrap) syntax. None of them clashes with OHIF 3.13's default bindings
 * (core/src/defaults/hotkeyBindings.ts: plain letters, arrows, `[`/`]`, digits, ctrl+z/y).
 * A site rebinds them in app-config (see extension/README.md, "Hotkeys").
 */
export interface ChestXrayAiHotkey {
  /** A command of the extension's commands module (extension/src/commandsModule.ts). */
  readonly commandName: string;
  /** What the key does, as the panel's help and OHIF's hotkeys preferences show it. */
  readonly label: string;
  /** Default key combination(s). */
  readonly keys: readonly string[];
}

export const CHEST_XRAY_AI_HOTKEYS: readonly ChestXrayAiHotkey[] = [
  { commandName: 'chestXrayAiToggleOverlays', label: 'AI: show / hide all overlays', keys: ['shift+a'] },
  { commandName: 'chestXrayAiNextHeatmap', label: "AI: next finding's heatmap", keys: ['shift+right'] },
  { commandName: 'chestXrayAiPreviousHeatmap', label: "AI: previous finding's heatmap", keys: ['shift+left'] },
  { commandName: 'chestXrayAiToggleOutline', label: 'AI: heatmap outline / fill', keys: ['shift+o'] },
  { commandName: 'chestXrayAiOpacityUp', label: 'AI: heatmap opacity up', keys: ['shift+up'] },
  { commandName: 'chestXrayAiOpacityDown', label: 'AI: heatmap opacity down', keys: ['shift+down'] },
];

// Only the extension's hotkey data (extension/src/hotkeys.ts imports nothing): the extension itself
// is not bundled into the mode.
import { CHEST_XRAY_AI_HOTKEYS } from '../../extension/src/hotkeys';

/** OHIF's hotkey definition (core/src/classes/HotkeysManager.ts). */
export interface HotkeyDefinition {
  commandName: string;
  commandOptions?: Record<string, unknown>;
  label: string;
  keys: string[];
  isEditable: boolean;
}

/** The mode's hotkeys in OHIF's shape; editable in OHIF's user preferences. */
export function chestXrayAiHotkeyDefinitions(): HotkeyDefinition[] {
  return CHEST_XRAY_AI_HOTKEYS.map(({ commandName, label, keys }) => ({
    commandName,
    commandOptions: {},
    label,
    keys: [...keys],
    isEditable: true,
  }));
}

/**
 * The mode's own customizations (OHIF 3.13 `mode.modeCustomizations`). OHIF 3.13 binds hotkeys from
 * the `ohif.hotkeyBindings` customization right after `onModeEnter` (platform/app/src/routes/Mode/
 * Mode.tsx: `hotkeysManager.setDefaultHotKeys(customizationService.getCustomization(
 * 'ohif.hotkeyBindings'))`); the default extension registers OHIF's defaults there
 * (extensions/default/src/customizations/hotkeyBindingsCustomization.ts). `$push` adds ours to the
 * defaults instead of replacing them. This block is the bottom layer of the mode scope: a site's
 * app-config `customizationService.mode['chest-xray-ai']` block is applied after it, so a site can
 * rebind our keys there (extension/README.md, "Hotkeys").
 */
export function modeCustomizations(): Record<string, unknown> {
  return { 'ohif.hotkeyBindings': { $push: chestXrayAiHotkeyDefinitions() } };
}

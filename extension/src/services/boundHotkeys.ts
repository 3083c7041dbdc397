import { CHEST_XRAY_AI_HOTKEYS, type ChestXrayAiHotkey } from '../hotkeys';

/**
 * Our hotkeys as this viewer binds them: OHIF's 'ohif.hotkeyBindings' customization (the mode's
 * defaults after the site's app-config changes), else the defaults.
 */
export function boundHotkeys(customizationService: unknown): readonly ChestXrayAiHotkey[] {
  const service = customizationService as { getCustomization?(id: string): unknown } | undefined;
  const bound = service?.getCustomization?.('ohif.hotkeyBindings');
  if (!Array.isArray(bound)) return CHEST_XRAY_AI_HOTKEYS;
  return CHEST_XRAY_AI_HOTKEYS.map((ours) => {
    const live = bound.find((b: { commandName?: string }) => b?.commandName === ours.commandName) as
      { keys?: unknown } | undefined;
    return Array.isArray(live?.keys) ? { ...ours, keys: live.keys.map(String) } : ours;
  });
}

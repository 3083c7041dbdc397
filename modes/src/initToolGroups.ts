import type { ExtensionManager, ToolGroupService } from '../../extension/src/ohifTypes';

/** The 'default' tool group: window/level on the left button, pan middle, zoom right, wheel zoom. */
export function initToolGroups(extensionManager: ExtensionManager, toolGroupService: ToolGroupService): void {
  const utility = extensionManager.getModuleEntry('@ohif/extension-cornerstone.utilityModule.tools');
  const toolNames = utility?.exports?.toolNames;
  const MouseBindings = utility?.exports?.Enums?.MouseBindings;
  if (!toolNames || !MouseBindings) throw new Error('The viewer does not expose the Cornerstone tools module.');
  toolGroupService.createToolGroupAndAddTools('default', {
    active: [
      { toolName: toolNames.WindowLevel, bindings: [{ mouseButton: MouseBindings.Primary }] },
      { toolName: toolNames.Pan, bindings: [{ mouseButton: MouseBindings.Auxiliary }] },
      { toolName: toolNames.Zoom, bindings: [{ mouseButton: MouseBindings.Secondary }, { numTouchPoints: 2 }] },
      { toolName: toolNames.StackScroll, bindings: [{ mouseButton: MouseBindings.Wheel }, { numTouchPoints: 3 }] },
    ],
    passive: [
      { toolName: toolNames.Length },
      { toolName: toolNames.Angle },
      { toolName: toolNames.DragProbe },
      { toolName: toolNames.ArrowAnnotate },
    ],
    enabled: [],
    disabled: [],
  });
}

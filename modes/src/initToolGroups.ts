/** The 'default' tool group: window/level on the left button, pan middle, zoom right, wheel zoom. */
export function initToolGroups(extensionManager: any, toolGroupService: any): void {
  const utility = extensionManager.getModuleEntry('@ohif/extension-cornerstone.utilityModule.tools');
  const { toolNames, Enums } = utility.exports;
  const { MouseBindings } = Enums;
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

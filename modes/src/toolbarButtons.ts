/** The usual reading tools for a radiograph, as OHIF toolbar button definitions. */
const setToolActive = (toolName: string) => ({
  commandName: 'setToolActive',
  commandOptions: { toolGroupIds: ['default'], toolName },
  context: 'CORNERSTONE',
});

const toolButton = (id: string, icon: string, label: string, toolName: string) => ({
  id,
  uiType: 'ohif.toolButton',
  props: { icon, label, tooltip: label, commands: setToolActive(toolName), evaluate: 'evaluate.cornerstoneTool' },
});

const actionButton = (id: string, icon: string, label: string, commands: string) => ({
  id,
  uiType: 'ohif.toolButton',
  props: { icon, label, tooltip: label, commands, evaluate: 'evaluate.action' },
});

export const toolbarButtons = [
  { id: 'MoreTools', uiType: 'ohif.toolButtonList', props: { buttonSection: true } },
  toolButton('WindowLevel', 'tool-window-level', 'Window Level', 'WindowLevel'),
  toolButton('Pan', 'tool-move', 'Pan', 'Pan'),
  toolButton('Zoom', 'tool-zoom', 'Zoom', 'Zoom'),
  toolButton('Length', 'tool-length', 'Length', 'Length'),
  toolButton('Angle', 'tool-angle', 'Angle', 'Angle'),
  toolButton('Probe', 'tool-probe', 'Probe', 'DragProbe'),
  actionButton('RotateRight', 'tool-rotate-right', 'Rotate Right +90', 'rotateViewportCW'),
  actionButton('FlipHorizontal', 'tool-flip-horizontal', 'Flip Horizontally', 'flipViewportHorizontal'),
  actionButton('Invert', 'tool-invert', 'Invert Colors', 'invertViewport'),
  actionButton('Reset', 'tool-reset', 'Reset View', 'resetViewport'),
  {
    id: 'Capture',
    uiType: 'ohif.toolButton',
    props: {
      icon: 'tool-capture',
      label: 'Capture',
      tooltip: 'Capture',
      commands: 'showDownloadViewportModal',
      evaluate: 'evaluate.action',
    },
  },
];

export const primarySection = ['WindowLevel', 'Pan', 'Zoom', 'Length', 'MoreTools'];
export const moreToolsSection = ['RotateRight', 'FlipHorizontal', 'Invert', 'Reset', 'Angle', 'Probe', 'Capture'];

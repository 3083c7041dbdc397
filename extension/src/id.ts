import packageJson from '../package.json';

/** OHIF identifies an extension by its package name. */
export const id: string = packageJson.name;
export const SERVICE_NAME = 'chestXrayAiService';
export const PANEL_NAME = 'chestXrayAi';
/** The panel's full id, as a mode's layout names it. */
export const PANEL_ID = `${id}.panelModule.${PANEL_NAME}`;

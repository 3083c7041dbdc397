/**
 * The few OHIF 3.13 surfaces this extension uses, typed locally: @ohif/core is a peer dependency
 * of a site build and absent from a run-time plugin, so we do not import its types.
 */
import type { Types as CoreTypes } from '@cornerstonejs/core';

export interface Subscription {
  unsubscribe(): void;
}

export interface PubSub {
  EVENTS: Record<string, string>;
  subscribe(event: string, callback: (payload: unknown) => void): Subscription;
}

export interface ViewportGridService extends PubSub {
  getActiveViewportId(): string;
  getState(): {
    activeViewportId: string;
    viewports: Map<string, { viewportId: string; displaySetInstanceUIDs: string[] }>;
  };
}

export interface CornerstoneViewportService extends PubSub {
  getCornerstoneViewport(viewportId: string): CoreTypes.IViewport | null;
}

export interface DisplaySetService extends PubSub {
  getDisplaySetByUID(uid: string): { SeriesDescription?: string; Modality?: string } | undefined;
}

export interface UINotificationService {
  show(options: {
    title: string;
    message: string;
    type?: 'info' | 'success' | 'warning' | 'error';
    duration?: number;
  }): void;
}

export interface ToolbarService {
  register(buttons: unknown[]): void;
  updateSection(section: string, buttonIds: string[]): void;
}

export interface ToolGroupService {
  createToolGroupAndAddTools(toolGroupId: string, tools: Record<string, unknown[]>): unknown;
  destroy(): void;
}

export interface ServicesManager {
  services: {
    viewportGridService: ViewportGridService;
    cornerstoneViewportService: CornerstoneViewportService;
    displaySetService: DisplaySetService;
    uiNotificationService?: UINotificationService;
    toolbarService: ToolbarService;
    toolGroupService: ToolGroupService;
    uiDialogService?: { hideAll?(): void };
    uiModalService?: { hide?(): void };
    [name: string]: unknown;
  };
  registerService(registration: ServiceRegistration): void;
}

export interface ServiceRegistration {
  name: string;
  altName?: string;
  create(args: {
    configuration?: unknown;
    servicesManager: ServicesManager;
    commandsManager: CommandsManager;
    extensionManager: ExtensionManager;
  }): unknown;
}

export interface CommandsManager {
  runCommand(name: string, options?: Record<string, unknown>, contextName?: string): unknown;
}

/** What the OHIF cornerstone extension's utility modules export, as far as we use it. */
export interface ModuleExports {
  /** `@ohif/extension-cornerstone.utilityModule.common` */
  getCornerstoneLibraries?(): { cornerstone?: unknown; cornerstoneTools?: unknown };
  /** `@ohif/extension-cornerstone.utilityModule.tools` */
  toolNames?: Record<string, string>;
  Enums?: { MouseBindings?: Record<string, number> };
  [name: string]: unknown;
}

export interface ExtensionManager {
  getModuleEntry(id: string): { exports?: ModuleExports } | undefined;
}

export interface ExtensionParams {
  servicesManager: ServicesManager;
  commandsManager: CommandsManager;
  extensionManager: ExtensionManager;
  configuration?: unknown;
  appConfig?: Record<string, unknown>;
}

export interface CommandDefinition {
  // Each command takes its own options object; OHIF passes what the caller gave.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- options differ per command
  commandFn: (options: any) => unknown;
  storeContexts?: string[];
  options?: Record<string, unknown>;
}

export interface CommandsModule {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- options differ per command
  actions: Record<string, (options: any) => unknown>;
  definitions: Record<string, CommandDefinition>;
  defaultContext: string;
}

export interface PanelModuleEntry {
  name: string;
  iconName: string;
  iconLabel: string;
  label: string;
  component: (props: Record<string, unknown>) => unknown;
}

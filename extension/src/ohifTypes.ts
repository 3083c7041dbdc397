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
  subscribe(event: string, callback: (payload: any) => void): Subscription;
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

export interface ServicesManager {
  services: {
    viewportGridService: ViewportGridService;
    cornerstoneViewportService: CornerstoneViewportService;
    displaySetService: DisplaySetService;
    uiNotificationService?: UINotificationService;
    toolbarService: any;
    toolGroupService: any;
    uiDialogService?: { hideAll?(): void };
    uiModalService?: { hide?(): void };
    [name: string]: any;
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

export interface ExtensionManager {
  getModuleEntry(id: string): { exports?: any } | undefined;
}

export interface ExtensionParams {
  servicesManager: ServicesManager;
  commandsManager: CommandsManager;
  extensionManager: ExtensionManager;
  configuration?: unknown;
  appConfig?: Record<string, unknown>;
}

export interface CommandDefinition {
  commandFn: (options: any) => unknown;
  storeContexts?: string[];
  options?: Record<string, unknown>;
}

export interface CommandsModule {
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

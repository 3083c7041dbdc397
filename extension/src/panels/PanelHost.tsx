import React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { CommandsManager } from '../ohifTypes';
import type { ChestXrayAiService } from '../services/ChestXrayAiService';
import { PanelChestXrayAi } from './PanelChestXrayAi';
import { injectStyles } from './styles';

interface PanelHostProps {
  getService: () => ChestXrayAiService;
  commandsManager: CommandsManager;
}

/**
 * What OHIF renders: a hook-free class that only owns a <div> and mounts our panel into it with
 * our own React root. In a prebuilt viewer the host's React is another copy than ours, and hooks
 * from one copy cannot run under the other's renderer; a plain class with a ref works under both.
 * Neither 3.13.2 nor 3.14.0-beta.6 shares its React with run-time plugins (no window['react'];
 * measured by test/e2e/ohif314.test.ts), so this holds on both (extension/README.md).
 */
export class PanelHost extends React.Component<PanelHostProps> {
  private element: HTMLDivElement | null = null;
  private root?: Root;

  private readonly setElement = (element: HTMLDivElement | null) => {
    this.element = element;
  };

  override componentDidMount(): void {
    if (!this.element) return;
    injectStyles(this.element.ownerDocument);
    this.root = createRoot(this.element);
    this.renderPanel();
    // The panel may sit in any mode's layout: it starts the service following the viewer.
    this.props.commandsManager.runCommand('chestXrayAiActivate');
  }

  override componentDidUpdate(): void {
    this.renderPanel();
  }

  override componentWillUnmount(): void {
    const root = this.root;
    this.root = undefined;
    // Deferred: unmounting a root while a (possibly shared) React is committing is not allowed.
    if (root) setTimeout(() => root.unmount(), 0);
  }

  private renderPanel(): void {
    this.root?.render(
      <PanelChestXrayAi service={this.props.getService()} commandsManager={this.props.commandsManager} />,
    );
  }

  override render() {
    return <div ref={this.setElement} className="cxrai-host" style={{ height: '100%', overflow: 'hidden' }} />;
  }
}

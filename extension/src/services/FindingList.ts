import type { ChestXrayAiConfig } from '../config';
import type { AnalysisResult } from '../engine';
import type { FindingOrder } from '../types';
import { findingDisplayName } from '../utils/wording';
import { listFindings, rememberedFindingOrder, rememberFindingOrder } from './findingOrder';
import type { ModelLoader } from './ModelLoader';

/** How the panel lists findings: the site's selection, the reader's order (remembered), their names. */
export class FindingList {
  private orderNow: FindingOrder;

  constructor(
    private readonly config: () => ChestXrayAiConfig,
    private readonly loader: ModelLoader,
  ) {
    this.orderNow = rememberedFindingOrder(config().findingOrder);
  }

  get order(): FindingOrder {
    return this.orderNow;
  }

  setOrder(order: FindingOrder): void {
    this.orderNow = order;
    rememberFindingOrder(order);
  }

  /** Back to the reader's remembered order, or the site's default (on reconfiguration). */
  reset(): void {
    this.orderNow = rememberedFindingOrder(this.config().findingOrder);
  }

  /** The findings of a result in the panel's order. */
  listed(result: AnalysisResult | undefined): string[] {
    return listFindings(result, this.config().findings, this.orderNow);
  }

  /** A finding's name as the reader sees it (the model's display name where it has one). */
  displayName(finding: string): string {
    return findingDisplayName(finding, this.loader.findingSpec(finding)?.displayName);
  }
}

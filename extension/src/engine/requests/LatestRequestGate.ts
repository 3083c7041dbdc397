/**
 * Hands out a token per request and says whether a token is still the latest for its channel
 * (a viewport, say). A result whose token is no longer current belongs to an image that is no
 * longer the requested one and must never be delivered as current.
 */
export interface RequestToken {
  readonly channel: string;
  readonly sequence: number;
  readonly imageKey: string;
}

export class LatestRequestGate {
  private sequence = 0;
  private readonly latest = new Map<string, RequestToken>();

  /** Starts a request for `imageKey`; every earlier token of the channel becomes stale. */
  begin(imageKey: string, channel = 'default'): RequestToken {
    const token: RequestToken = { channel, sequence: ++this.sequence, imageKey };
    this.latest.set(channel, token);
    return token;
  }

  isCurrent(token: RequestToken): boolean {
    return this.latest.get(token.channel) === token;
  }

  /** Makes every open request of the channel stale (the image was closed or changed). */
  cancel(channel = 'default'): void {
    this.latest.delete(channel);
  }

  /**
   * Awaits `work` and hands its value to `deliver` only if the token is still current, the
   * only way results should reach a display. Returns whether it was delivered.
   */
  async deliverIfCurrent<T>(token: RequestToken, work: Promise<T>, deliver: (value: T) => void): Promise<boolean> {
    const value = await work;
    if (!this.isCurrent(token)) return false;
    deliver(value);
    return true;
  }
}

/** A one-line progress bar on stderr: done/total, rate and time left. Drawn only when enabled. */
export class ProgressBar {
  private done = 0;
  private started = 0;
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
    private readonly label = 'images',
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  start(): void {
    this.started = Date.now();
    this.draw(true);
  }

  tick(): void {
    this.done++;
    this.draw(this.done === this.total);
  }

  finish(): void {
    if (this.enabled && this.total > 0) this.stream.write('\n');
  }

  private draw(force: boolean): void {
    if (!this.enabled || this.total === 0) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const width = 28;
    const filled = Math.round((width * this.done) / this.total);
    const left = rate > 0 ? (this.total - this.done) / rate : undefined;
    this.stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ${this.label}` +
        `  ${rate.toFixed(2)}/s  ${left === undefined ? 'time left --:--' : `time left ${clock(left)}`}  `,
    );
  }
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

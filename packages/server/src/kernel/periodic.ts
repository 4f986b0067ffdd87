// A background job run every `everyMs` on each node (sweepers). Runs never overlap, a failure is
// logged and retried next time, and the timer never keeps the process alive.
import type { FastifyBaseLogger } from 'fastify';

export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(private readonly name: string, private readonly everyMs: number, private readonly job: () => Promise<unknown>, private readonly log: FastifyBaseLogger) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try { await this.job(); } catch (err) {
      this.log.warn({ err: (err as Error).message }, `${this.name} failed`);
    } finally { this.running = false; }
  }
}

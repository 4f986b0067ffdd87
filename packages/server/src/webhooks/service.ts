// Webhooks: endpoints, the outbox subscriber and the delivery worker.
import type { Deps } from '../app.js';

export class WebhookService {
  constructor(private readonly d: Deps) {}
  /** Registers the in-transaction subscriber that turns events into deliveries. */
  subscribe(): void {}
  start(): void {}
  async stop(): Promise<void> {}
  /** Pending deliveries, for system/status. */
  async backlog(): Promise<number> { return 0; }
}

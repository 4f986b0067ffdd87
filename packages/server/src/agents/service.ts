// Space Ducks (agents), pulses and liveness.
import type { Deps } from '../app.js';

export class AgentService {
  constructor(private readonly d: Deps) {}
  start(): void {}
  stop(): void {}
}

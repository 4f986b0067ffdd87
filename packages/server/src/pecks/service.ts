// The Peck Protocol.
import type { Deps } from '../app.js';

export class PeckService {
  constructor(private readonly d: Deps) {}
  start(): void {}
  stop(): void {}
}

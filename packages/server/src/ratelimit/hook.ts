import type { App } from '../app.js';

export function installRateLimits(_app: App): void {}

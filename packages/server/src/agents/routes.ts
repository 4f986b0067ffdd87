import type { App } from '../app.js';

export async function agentRoutes(_app: App): Promise<void> {}

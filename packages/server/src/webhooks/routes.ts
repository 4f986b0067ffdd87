import type { App } from '../app.js';

export async function webhookRoutes(_app: App): Promise<void> {}

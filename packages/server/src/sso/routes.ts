import type { App } from '../app.js';

export async function ssoRoutes(_app: App): Promise<void> {}

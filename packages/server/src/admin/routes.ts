import type { App } from '../app.js';

export async function adminRoutes(_app: App): Promise<void> {}

import type { App } from '../app.js';

export async function certRoutes(_app: App): Promise<void> {}

import type { App } from '../app.js';

export async function keyRoutes(_app: App): Promise<void> {}

import type { App } from '../app.js';

export async function peckRoutes(_app: App): Promise<void> {}

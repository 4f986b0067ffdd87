// Cross-domain SSO.
import type { Deps } from '../app.js';

export class SsoService {
  constructor(private readonly d: Deps) {}
}

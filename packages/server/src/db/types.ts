// The database as Kysely sees it: the union of every feature's tables.
import type { PlatformTables } from '../platform/schema.js';
import type { IdentityTables } from '../identity/schema.js';
import type { SessionTables } from '../sessions/schema.js';
import type { KeyTables } from '../keys/schema.js';
import type { AgentTables } from '../agents/schema.js';
import type { CertTables } from '../certs/schema.js';
import type { SsoTables } from '../sso/schema.js';
import type { PeckTables } from '../pecks/schema.js';
import type { WebhookTables } from '../webhooks/schema.js';

export interface Database
  extends PlatformTables, IdentityTables, SessionTables, KeyTables, AgentTables, CertTables, SsoTables, PeckTables, WebhookTables {}

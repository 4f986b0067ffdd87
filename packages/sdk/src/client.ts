// The Space Duck client. Helpers take and return the API's own JSON (snake_case, as in
// CONTRACT.md and the OpenAPI document); only SDK behaviour (intervals, callbacks) is camelCase.
import { Transport, type RequestOptions, type TransportOptions } from './http.js';
import { NotFoundError } from './errors.js';
import { pulseLoop, type PulseBody, type PulseHandle, type StartPulseOptions, type PulseMeta } from './pulse.js';
import { verifyCertificate, type CertificateVerification, type VerifyCertificateOptions } from './certificates.js';
import type {
  AgentRegistration, BeakKeyInfo, CertVerification, CreatedKey, DeliveryAttempt, DevMail, HttpMethod, Jwks, Json, Peck,
  PeckApproved, PeckDenied, PeckSent, Profile, PulseResult, QueryOf, RequestBody, ResponseBody, RotateResult, Session,
  SignupResult, VerifyResult, WebhookCreated, WebhookEndpoint, Agent,
} from './types.js';

export interface SpaceDuckOptions extends Omit<TransportOptions, 'credential'> {
  /** A Beak Key (`bk_…`): the long-lived credential of a duckling or an agent. */
  beakKey?: string;
  /** A session token from sign-in (`eyJ…`). */
  token?: string;
  /** Called whenever the client's credential changes (sign-in, verify, rotation of the key in use): persist it here. */
  onCredentialChange?: (credential: { kind: 'beak_key' | 'session'; value: string; expires_at?: string }) => void;
}

type Body<P extends string, M extends HttpMethod, F = Json> = RequestBody<P, M, F>;
type Res<P extends string, M extends HttpMethod, F = Json> = ResponseBody<P, M, F>;
type Opts = Pick<RequestOptions, 'signal' | 'timeoutMs' | 'headers'>;
/** Creates carry an idempotency key: a retry after a lost answer returns the first result. */
type CreateOpts = Opts & { idempotencyKey?: string };

const isBeakKey = (s: string | undefined): boolean => !!s && s.startsWith('bk_');

export class SpaceDuck {
  readonly http: Transport;
  private readonly onCredentialChange: SpaceDuckOptions['onCredentialChange'];

  constructor(options: SpaceDuckOptions) {
    if (options.beakKey && options.token) throw new TypeError('Pass either beakKey or token, not both');
    this.http = new Transport({ ...options, credential: options.beakKey ?? options.token });
    this.onCredentialChange = options.onCredentialChange;
  }

  /** The credential in use (Beak Key or session token), if any. */
  get credential(): string | undefined { return this.http.credential; }

  /** Switches the credential; subsequent calls use it. */
  setCredential(value: string | undefined, meta: { expires_at?: string } = {}): void {
    this.http.credential = value;
    if (value) this.onCredentialChange?.({ kind: isBeakKey(value) ? 'beak_key' : 'session', value, ...meta });
  }

  /** Any route: `duck.call('get', '/beak/agent/list', { query: { limit: 5 } })`, typed from the OpenAPI document. */
  call<P extends string, M extends HttpMethod>(
    method: M, path: P, options: Omit<RequestOptions, 'body' | 'query'> & { body?: Body<P, M>; query?: QueryOf<P, M> } = {},
  ): Promise<Res<P, M>> {
    return this.http.request(method, path, options as RequestOptions);
  }

  // ---- identity (CONTRACT §2) ----

  /** Hatches a duckling (sign up at T0); a verification code is emailed. Follow with `verify()`. */
  hatch(params: Body<'/beak/signup', 'post', { email: string; password?: string; display_name?: string }>, o: CreateOpts = {}): Promise<Res<'/beak/signup', 'post', SignupResult>> {
    return this.http.request('POST', '/beak/signup', { ...o, body: params, auth: false, idempotencyKey: o.idempotencyKey ?? true });
  }

  /**
   * Verifies the email with the emailed code: T1, the birth certificate, the first Beak Key
   * (shown only in this answer: store it) and a session, which this client then uses.
   */
  async verify(params: { email: string; code: string }, o: Opts = {}): Promise<Res<'/beak/verify', 'post', VerifyResult>> {
    const r = await this.http.request<Res<'/beak/verify', 'post', VerifyResult>>('POST', '/beak/verify', { ...o, body: { email: params.email, code: params.code }, auth: false });
    const s = r as unknown as VerifyResult;
    if (s.access_token) this.setCredential(s.access_token, { expires_at: s.expires_at });
    return r;
  }

  /** Sends a new verification code (always succeeds, whether or not the account waits for one). */
  resendVerification(email: string, o: Opts = {}): Promise<Json> {
    return this.http.request('POST', '/beak/verify/resend', { ...o, body: { email }, auth: false });
  }

  /**
   * Signs in with a password or an emailed code; this client then uses the session.
   * `signIn({ email })` alone emails a sign-in code and resolves with `null`.
   */
  async signIn(params: { email: string; password?: string; code?: string; issue_beak_key?: boolean }, o: Opts = {}): Promise<Session | null> {
    const body = { email: params.email, password: params.password, otp: params.code, issue_beak_key: params.issue_beak_key };
    const r = await this.http.request<Session | { success: true }>('POST', '/beak/signin', { ...o, body, auth: false });
    if (!('access_token' in r)) return null;
    this.setCredential(r.access_token, { expires_at: r.expires_at });
    return r;
  }

  /** Revokes the session in use (every node refuses it afterwards). */
  async signOut(o: Opts = {}): Promise<void> {
    await this.http.request('POST', '/beak/signout', o);
    this.http.credential = undefined;
  }

  /** The signed-in duckling's profile. */
  profile(o: Opts = {}): Promise<Res<'/beak/profile', 'get', Profile>> {
    return this.http.request('GET', '/beak/profile', o);
  }

  // ---- pulses (CONTRACT §4) ----

  /** One heartbeat. */
  pulse(params: { status?: 'active' | 'paused' | 'terminating'; meta?: PulseMeta; spaceduck_id?: string } = {}, o: Opts = {}): Promise<Res<'/beak/pulse', 'post', PulseResult>> {
    return this.http.request('POST', '/beak/pulse', { ...o, body: { status: 'active', ...params } });
  }

  /** Pulses now and every `intervalMs`; `stop()` sends `terminating`. */
  startPulse(options: StartPulseOptions = {}): PulseHandle {
    return pulseLoop((body: PulseBody) => this.pulse(body as Parameters<SpaceDuck['pulse']>[0]) as Promise<PulseResult>, options);
  }

  // ---- Beak Keys (CONTRACT §3) ----

  readonly keys = {
    list: (query: QueryOf<'/beak/keys', 'get'> = {} as QueryOf<'/beak/keys', 'get'>, o: Opts = {}): Promise<Res<'/beak/keys', 'get', { keys: BeakKeyInfo[]; next_cursor?: string | null }>> =>
      this.http.request('GET', '/beak/keys', { ...o, query: query as RequestOptions['query'] }),
    create: (params: Body<'/beak/keys', 'post', { name?: string; agent_id?: string; expires_in_days?: number }> = {}, o: CreateOpts = {}): Promise<Res<'/beak/keys', 'post', CreatedKey>> =>
      this.http.request('POST', '/beak/keys', { ...o, body: params, idempotencyKey: o.idempotencyKey ?? true }),
    revoke: (keyId: string, o: Opts = {}): Promise<Res<'/beak/keys/{key_id}', 'delete', BeakKeyInfo>> =>
      this.http.request('DELETE', `/beak/keys/${encodeURIComponent(keyId)}`, o),
    /**
     * Rotates a key and returns the new one. With no id (or the caller's own), the key this client
     * authenticates with is rotated — the old one stops working at once, so the client switches to
     * the new key itself (and tells `onCredentialChange`). Not retried after a lost answer: the
     * rotation may have happened, and only the lost answer held the new key.
     */
    rotate: async (params: { agent_id?: string; spaceduck_id?: string; duckling_id?: string; grace_seconds?: number; expires_in_days?: number } = {}, o: Opts = {}): Promise<Res<'/beak/rotate', 'post', RotateResult> & { beak_key: string }> => {
      const before = this.http.credential;
      const r = await this.http.request<RotateResult>('POST', '/beak/rotate', { ...o, body: params });
      const rotatedOwn = isBeakKey(before) && this.http.credential === before && !params.agent_id && !params.spaceduck_id && !params.duckling_id;
      if (rotatedOwn) this.setCredential(r.new_beak_key);
      return r as Res<'/beak/rotate', 'post', RotateResult> & { beak_key: string };
    },
  };

  /** The key rotation helper of the issue: `const newKey = await duck.rotateKey()`. */
  async rotateKey(params: Parameters<SpaceDuck['keys']['rotate']>[0] = {}, o: Opts = {}): Promise<string> {
    return (await this.keys.rotate(params, o)).new_beak_key;
  }

  // ---- agents (CONTRACT §4) ----

  readonly agents = {
    register: (params: Body<'/beak/agent/register', 'post', { agent_name: string; agent_type?: string; capabilities?: string[]; parent_id?: string }>, o: CreateOpts = {}): Promise<Res<'/beak/agent/register', 'post', AgentRegistration>> =>
      this.http.request('POST', '/beak/agent/register', { ...o, body: params, idempotencyKey: o.idempotencyKey ?? true }),
    list: (query: QueryOf<'/beak/agent/list', 'get'> = {} as QueryOf<'/beak/agent/list', 'get'>, o: Opts = {}): Promise<Res<'/beak/agent/list', 'get', { agents: Agent[] }>> =>
      this.http.request('GET', '/beak/agent/list', { ...o, query: query as RequestOptions['query'] }),
    /** The agent proves it holds its key and the handshake token from registration (call with the agent's key). */
    bond: (params: { agent_id: string; handshake_token: string }, o: Opts = {}): Promise<Res<'/beak/agent/bond', 'post'>> =>
      this.http.request('POST', '/beak/agent/bond', { ...o, body: params }),
    deregister: (agentId: string, o: Opts = {}): Promise<Res<'/beak/agent/deregister', 'post'>> =>
      this.http.request('POST', '/beak/agent/deregister', { ...o, body: { agent_id: agentId } }),
  };

  // ---- Peck Protocol (CONTRACT §6) ----

  readonly pecks = {
    /** Asks a target (by `target_email`, `target_duckling_id` or `target_spaceduck_id`) for a trust bond. */
    send: (params: Body<'/beak/peck', 'post', { target_email?: string; target?: string; target_duckling_id?: string; target_spaceduck_id?: string; purpose?: string; action?: string; scope?: string; payload?: Json }>, o: CreateOpts = {}): Promise<Res<'/beak/peck', 'post', PeckSent>> =>
      this.http.request('POST', '/beak/peck', { ...o, body: params, idempotencyKey: o.idempotencyKey ?? true }),
    /** Approves as the target: with this client's credential, the emailed `otp`, or both. */
    approve: (params: { peck_id: string; otp?: string; duckling_id?: string }, o: Opts = {}): Promise<Res<'/beak/peck/approve', 'post', PeckApproved | PeckDenied>> =>
      this.http.request('POST', '/beak/peck/approve', { ...o, body: { ...params, action: 'approve' } }),
    deny: (params: { peck_id: string; reason?: string; otp?: string; duckling_id?: string }, o: Opts = {}): Promise<Res<'/beak/peck/deny', 'post', PeckDenied>> =>
      this.http.request('POST', '/beak/peck/deny', { ...o, body: params }),
    /** Pecks waiting for this caller's decision. */
    pending: (o: Opts = {}): Promise<Res<'/beak/peck/list', 'post', { pecks: Peck[] }>> =>
      this.http.request('POST', '/beak/peck/list', { ...o, body: {} }),
    history: (query: QueryOf<'/beak/peck/history', 'get'> = {} as QueryOf<'/beak/peck/history', 'get'>, o: Opts = {}): Promise<Res<'/beak/peck/history', 'get', { pecks: Peck[]; next_cursor: string | null }>> =>
      this.http.request('GET', '/beak/peck/history', { ...o, query: query as RequestOptions['query'] }),
    connections: (o: Opts = {}): Promise<Res<'/beak/connections', 'get'>> => this.http.request('GET', '/beak/connections', o),
    unbond: (params: { connection_id?: string; target_id?: string }, o: Opts = {}): Promise<Res<'/beak/unpeck', 'post'>> =>
      this.http.request('POST', '/beak/unpeck', { ...o, body: params }),
  };

  // ---- birth certificates (CONTRACT §5) ----

  readonly certs = {
    /** Online verification. An unknown certificate answers `{ valid: false, status: 'not_found' }` rather than throwing. */
    verify: async (certId: string, o: Opts = {}): Promise<Res<'/beak/cert/verify', 'get', CertVerification>> => {
      try {
        return await this.http.request('GET', '/beak/cert/verify', { ...o, query: { cert_id: certId }, auth: false });
      } catch (err) {
        // Only the API's own answer is a verdict (it says `valid: false`); a 404 from a wrong URL is an error.
        if (err instanceof NotFoundError && err.body.valid === false) {
          return { valid: false, cert_id: certId, status: 'not_found', message: err.message } as Res<'/beak/cert/verify', 'get', CertVerification>;
        }
        throw err;
      }
    },
    /** The caller's certificate in full (with its JWS), or a certificate's public fields by id. */
    view: (certId?: string, o: Opts = {}): Promise<Res<'/beak/cert/view', 'get'>> =>
      this.http.request('GET', '/beak/cert/view', { ...o, query: { cert_id: certId } }),
    issue: (o: Opts = {}): Promise<Res<'/beak/cert/issue', 'post'>> => this.http.request('POST', '/beak/cert/issue', o),
    revoke: (reason?: string, o: Opts = {}): Promise<Res<'/beak/cert/revoke', 'post'>> =>
      this.http.request('POST', '/beak/cert/revoke', { ...o, body: reason ? { reason } : {} }),
    /** The signed revocation list (JSON with its `credential` JWS): cache it and pass it to verifyCertificate. */
    statusList: (o: Opts = {}): Promise<{ credential: string; [k: string]: unknown }> =>
      this.http.request('GET', '/beak/cert/status-list', { ...o, auth: false }),
    /**
     * Fetches the issuer's JWKS and status list, then verifies `jws` locally. For repeated checks,
     * fetch those two once and call the standalone `verifyCertificate` instead.
     */
    verifyOffline: async (jws: string, options: Partial<VerifyCertificateOptions> = {}): Promise<CertificateVerification> => {
      const [jwks, statusList] = await Promise.all([options.jwks ?? this.jwks(), options.statusList ?? this.certs.statusList()]);
      return verifyCertificate(jws, { ...options, jwks, statusList });
    },
  };

  /** The issuer's public keys (session tokens and certificates). */
  jwks(o: Opts = {}): Promise<Jwks> {
    return this.http.request('GET', '/.well-known/jwks.json', { ...o, auth: false });
  }

  // ---- webhooks (CONTRACT §8) ----

  readonly webhooks = {
    create: (params: Body<'/beak/webhooks', 'post', { url: string; events: string[]; description?: string }>, o: CreateOpts = {}): Promise<Res<'/beak/webhooks', 'post', WebhookCreated>> =>
      this.http.request('POST', '/beak/webhooks', { ...o, body: params, idempotencyKey: o.idempotencyKey ?? true }),
    list: (o: Opts = {}): Promise<Res<'/beak/webhooks', 'get', { webhooks: WebhookEndpoint[] }>> => this.http.request('GET', '/beak/webhooks', o),
    get: (id: string, o: Opts = {}): Promise<Res<'/beak/webhooks/{webhook_id}', 'get', WebhookEndpoint>> =>
      this.http.request('GET', `/beak/webhooks/${encodeURIComponent(id)}`, o),
    update: (id: string, params: Body<'/beak/webhooks/{webhook_id}', 'patch', Partial<WebhookEndpoint>>, o: Opts = {}): Promise<Res<'/beak/webhooks/{webhook_id}', 'patch', WebhookEndpoint>> =>
      this.http.request('PATCH', `/beak/webhooks/${encodeURIComponent(id)}`, { ...o, body: params }),
    delete: (id: string, o: Opts = {}): Promise<Res<'/beak/webhooks/{webhook_id}', 'delete'>> =>
      this.http.request('DELETE', `/beak/webhooks/${encodeURIComponent(id)}`, o),
    rotateSecret: (id: string, params: { overlap_seconds?: number } = {}, o: Opts = {}): Promise<Res<'/beak/webhooks/{webhook_id}/rotate-secret', 'post', WebhookCreated>> =>
      this.http.request('POST', `/beak/webhooks/${encodeURIComponent(id)}/rotate-secret`, { ...o, body: params }),
    test: (id: string, eventType?: string, o: Opts = {}): Promise<Res<'/beak/webhooks/{webhook_id}/test', 'post', DeliveryAttempt>> =>
      this.http.request('POST', `/beak/webhooks/${encodeURIComponent(id)}/test`, { ...o, body: eventType ? { event_type: eventType } : {} }),
    deliveries: (id: string, query: QueryOf<'/beak/webhooks/{webhook_id}/deliveries', 'get'> = {} as QueryOf<'/beak/webhooks/{webhook_id}/deliveries', 'get'>, o: Opts = {}): Promise<Res<'/beak/webhooks/{webhook_id}/deliveries', 'get'>> =>
      this.http.request('GET', `/beak/webhooks/${encodeURIComponent(id)}/deliveries`, { ...o, query: query as RequestOptions['query'] }),
    replay: (id: string, eventId: string, o: Opts = {}): Promise<Res<'/beak/webhooks/{webhook_id}/deliveries/{event_id}/replay', 'post'>> =>
      this.http.request('POST', `/beak/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(eventId)}/replay`, { ...o, body: {} }),
  };

  // ---- cross-domain SSO (CONTRACT §7) ----

  readonly sso = {
    /** A single-use token (5 minutes) that proves this duckling to `target_domain`. */
    issue: (params: Body<'/beak/sso/issue', 'post', { target_domain: string; scope?: string }>, o: Opts = {}): Promise<Res<'/beak/sso/issue', 'post'>> =>
      this.http.request('POST', '/beak/sso/issue', { ...o, body: params }),
    /** For the receiving domain: consumes the token; a second verify answers `valid: false`. */
    verify: (token: string, o: Opts = {}): Promise<Res<'/beak/sso/verify', 'get'>> =>
      this.http.request('GET', '/beak/sso/verify', { ...o, query: { token }, auth: false }),
    bridge: (params: { sso_token: string; target: string }, o: Opts = {}): Promise<Res<'/beak/sso/bridge', 'post'>> =>
      this.http.request('POST', '/beak/sso/bridge', { ...o, body: params }),
  };

  // ---- platform (CONTRACT §10–11) ----

  about(o: Opts = {}): Promise<Res<'/beak/', 'get'>> { return this.http.request('GET', '/beak/', { ...o, auth: false }); }
  metrics(o: Opts = {}): Promise<Res<'/beak/metrics', 'get'>> { return this.http.request('GET', '/beak/metrics', { ...o, auth: false }); }
  status(o: Opts = {}): Promise<Res<'/beak/system/status', 'get'>> { return this.http.request('GET', '/beak/system/status', { ...o, auth: false }); }

  /** The development mailbox (only on servers not in production): the codes a local server "sent". */
  devMailbox(to: string, o: Opts = {}): Promise<Res<'/beak/dev/mail', 'get', DevMail>> {
    return this.http.request('GET', '/beak/dev/mail', { ...o, query: { to }, auth: false });
  }
}

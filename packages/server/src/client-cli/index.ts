// The client side of the `spaceduck` command: operators and agents talking to a Space Duck
// server through @spaceduck/sdk. Credentials live in ~/.config/spaceduck/config.json (0600).
import { Args, GLOBAL_FLAGS, UsageError, parseArgs } from './args.js';
import { Ctx } from './context.js';
import { Io, reportError } from './io.js';
import { hatch, login, logout, whoami } from './commands/account.js';
import { agent, pulse } from './commands/agents.js';
import { key } from './commands/keys.js';
import { peck } from './commands/pecks.js';
import { cert } from './commands/certs.js';
import { webhook } from './commands/webhooks.js';

export const CLIENT_USAGE = `Client commands (talk to a server; --url or SPACEDUCK_URL, default http://127.0.0.1:8080):
  login [--email E] [--code] [--with-key]    sign in (password, or an emailed code); --beak-key bk_… for agents
  logout [--forget-key]                      end the session of this profile
  hatch [--email E] [--display-name N]       sign up, verify the emailed code, save the Beak Key
  whoami                                     who this profile is signed in as
  agent register <name> [--type T] [--capability C]... [--parent sd_…] [--bond] [--save-profile P]
  agent list | agent deregister <sd_…>
  pulse [--every 60] [--status active|paused] [--meta k=v]... [--agent sd_…]
  key list [--agent sd_…] | key create [--name N] [--agent sd_…] [--days 90]
  key rotate [--agent sd_…] [--grace SECONDS] | key revoke <key_…>
  peck send <email|dk_…|sd_…> [--purpose P] [--action A] [--scope S] [--as sd_…]
  peck approve <peck_…> [--otp CODE] | peck deny <peck_…> [--reason R]
  peck list [--direction sent|received] [--status S] [--pending]
  cert verify <cert_…|JWS> [--offline [--jwks FILE] [--status-list FILE] [--issuer URL]]
  webhook listen [--port 4242] [--forward-to URL] [--events a,b] [--public-url URL | --secret whsec_…] [--keep]
  webhook list | webhook test <wh_…> [--event TYPE]

Every client command takes --json (machine-readable output), --profile NAME and --url URL.
Credentials: $SPACEDUCK_CONFIG, else $XDG_CONFIG_HOME/spaceduck/config.json, else ~/.config/spaceduck/config.json.
SPACEDUCK_BEAK_KEY / SPACEDUCK_TOKEN override the profile's credential.
`;

interface Command { run: (ctx: Ctx) => Promise<number>; flags: string[]; booleans?: string[] }

const COMMANDS: Record<string, Command> = {
  login: { run: login, flags: ['email', 'beak-key', 'otp', 'agent'], booleans: ['code', 'with-key', 'password-stdin'] },
  logout: { run: logout, flags: [], booleans: ['forget-key'] },
  hatch: { run: hatch, flags: ['email', 'password', 'display-name', 'code'], booleans: ['no-password'] },
  whoami: { run: whoami, flags: [] },
  agent: { run: agent, flags: ['type', 'capability', 'parent', 'save-profile', 'limit'], booleans: ['bond'] },
  pulse: { run: pulse, flags: ['every', 'status', 'meta', 'agent'] },
  key: { run: key, flags: ['agent', 'status', 'name', 'days', 'grace'] },
  peck: { run: peck, flags: ['purpose', 'action', 'scope', 'as', 'otp', 'reason', 'direction', 'status', 'limit'], booleans: ['pending'] },
  cert: { run: cert, flags: ['jwks', 'status-list', 'issuer'], booleans: ['offline'] },
  webhook: { run: webhook, flags: ['port', 'host', 'forward-to', 'events', 'public-url', 'secret', 'event'], booleans: ['keep'] },
};

export const CLIENT_COMMANDS = Object.keys(COMMANDS);

export async function runClient(command: string, argv: string[]): Promise<number> {
  const spec = COMMANDS[command]!;
  let io: Io | undefined;
  let ctx: Ctx | undefined;
  try {
    const parsed = parseArgs(argv, spec.booleans);
    io = new Io(parsed.flags.has('json'), parsed.flags.has('quiet'));
    const args = new Args(parsed, new Set([...GLOBAL_FLAGS, ...spec.flags, ...(spec.booleans ?? [])]));
    if (args.bool('help')) { process.stdout.write(CLIENT_USAGE); return 0; }
    ctx = new Ctx(io, args);
    return await spec.run(ctx);
  } catch (err) {
    if (err instanceof SyntaxError) return reportError(new UsageError(`the credentials file is not valid JSON: ${err.message}`), io);
    return reportError(err, io, ctx?.baseUrl, command);
  } finally {
    io?.close();
  }
}

// @spaceduck/sdk/node — Node-only helpers: the credentials file the `spaceduck` command uses
// and a local webhook receiver. Everything in the core entry is re-exported for convenience.
export * from '../index.js';
export {
  clientFromConfig, configPath, readConfig, writeConfig, saveProfile, removeProfile, profileName, profileCredential,
  DEFAULT_BASE_URL, type ConfigFile, type Profile, type FromConfigOptions,
} from './config.js';
export { listenForWebhooks, type Delivery, type ListenOptions, type Listener } from './listener.js';

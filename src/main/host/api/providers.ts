import type { Handlers, HostParts } from './methods.js';

type ProviderMethods =
  'providers.list' | 'providers.setKey' | 'providers.removeKey' | 'providers.test' | 'secrets.set' | 'secrets.remove';

/** Model providers and server secrets: where their keys come from, storing and removing them, a test call. */
export function providerHandlers({ warden, providerKeys }: HostParts): Pick<Handlers, ProviderMethods> {
  return {
    'providers.list': () => ({
      store: {
        available: warden.keyStore !== undefined,
        protection: warden.keyStore?.protection ?? null,
      },
      providers: providerKeys.list(),
      secrets: providerKeys.secrets(),
    }),
    'providers.setKey': ({ provider, key, allowPlainText }, by) => providerKeys.set(provider, key, by, allowPlainText),
    'providers.removeKey': ({ provider }, by) => providerKeys.remove(provider, by),
    'providers.test': ({ provider }, by) => providerKeys.test(provider, by),
    'secrets.set': ({ variable, key, allowPlainText }, by) => providerKeys.setSecret(variable, key, by, allowPlainText),
    'secrets.remove': ({ variable }, by) => providerKeys.removeSecret(variable, by),
  };
}

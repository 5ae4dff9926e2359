// Rules that read more than one variable: NODE_ENV=production raises the bar for several, and
// the consumer credentials come as a pair. Each variable's own shape is in configSchema.ts; the
// rules that depend on sandbox or live mode are the provider's (provider.ts).

import type { Config } from './configTypes.js';

/** A broken rule: the variable to name and what is wrong with it, never its value. */
export type Problem = [variable: string, problem: string];

/** The first rule the configuration breaks, in the order a person would fix them. */
export function crossFieldProblem(config: Config): Problem | undefined {
  const { production } = config;
  // In production cookies must be Secure and callbacks must not travel in clear.
  if (production && config.publicUrl === undefined) return ['PUBLIC_URL', 'is required when NODE_ENV=production (the https address people use)'];
  if (production && !config.publicUrl!.startsWith('https:')) return ['PUBLIC_URL', 'must be https when NODE_ENV=production'];

  const { consumerKey, consumerSecret } = config.provider;
  if ((consumerKey === undefined) !== (consumerSecret === undefined)) {
    const missing = consumerKey === undefined ? 'NEXMO_CONSUMER_KEY' : 'NEXMO_CONSUMER_SECRET';
    return [missing, 'is required when the other of NEXMO_CONSUMER_KEY / NEXMO_CONSUMER_SECRET is set'];
  }

  if (production && config.sessionSecrets === undefined) return ['SESSION_SECRET', 'is required when NODE_ENV=production'];
  if (production && config.sessionSecrets!.some((secret) => secret.length < 32)) return ['SESSION_SECRET', 'each secret must be at least 32 characters in production'];

  if (production && config.storeKeys === undefined) return ['STORE_KEY', 'is required when NODE_ENV=production (32+ random characters; it encrypts tokens at rest)'];
  return undefined;
}

import { crossFieldProblem } from './configRules.js';
import { environmentSchema } from './configSchema.js';
import type { Config } from './configTypes.js';

export type { Config, Limits, LogLevel, SignatureMethod, StoreConfig } from './configTypes.js';
export { LOG_LEVELS } from './configTypes.js';
export { CONFIG_VARIABLES, DEFAULT_LIMITS } from './configSchema.js';

/** Invalid configuration. The message names the variable and never carries a secret's value. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment. The first problem found stops it, as a ConfigError naming its
 * variable. `warn` receives notices that are not fatal (a generated session secret); they never
 * include a secret.
 */
export function loadConfig(env: Record<string, string | undefined>, warn: (line: string) => void = () => {}): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const config = parsed.data;
  const problem = crossFieldProblem(config);
  if (problem) throw new ConfigError(...problem);
  if (!config.sessionSecrets) warn('SESSION_SECRET is not set: using one generated once and kept in the store (set it when several instances share a store).');
  return config;
}

/**
 * The only place the sandbox reads the environment: the standalone server's settings, parsed and
 * checked once. An error names the variable at fault.
 *
 * SANDBOX_PORT (default 4000), SANDBOX_HOST (default 127.0.0.1), and optionally
 * SANDBOX_CONSUMER_KEY + SANDBOX_CONSUMER_SECRET to keep the same credentials across restarts.
 */

export interface StandaloneConfig {
  port: number;
  host: string;
  consumerKey: string | undefined;
  consumerSecret: string | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv): StandaloneConfig {
  const rawPort = env['SANDBOX_PORT'] ?? '4000';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) {
    throw new Error(`SANDBOX_PORT must be a port number (0-65535), got "${rawPort}"`);
  }
  const consumerKey = env['SANDBOX_CONSUMER_KEY'] || undefined;
  const consumerSecret = env['SANDBOX_CONSUMER_SECRET'] || undefined;
  if ((consumerKey === undefined) !== (consumerSecret === undefined)) {
    throw new Error('set both SANDBOX_CONSUMER_KEY and SANDBOX_CONSUMER_SECRET, or neither');
  }
  return { port, host: env['SANDBOX_HOST'] || '127.0.0.1', consumerKey, consumerSecret };
}

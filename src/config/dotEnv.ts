import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

type Env = Record<string, string | undefined>;

/**
 * Reads a .env file into a copy of `env` with Node's own parser (quotes, comments, `export`);
 * real environment variables win.
 */
export function withDotEnv(env: Env, file: string): Env {
  if (!existsSync(file)) return env;
  const merged: Env = { ...env };
  for (const [key, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (merged[key] === undefined) merged[key] = value;
  }
  return merged;
}

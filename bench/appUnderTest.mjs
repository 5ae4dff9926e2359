// The built app as the bench runs it: as in production behind a TLS-terminating proxy, with
// every limit counting, and a cookie-jar browser that logs in through it.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { SUT_CORE, pin } from './machine.mjs';
import { ask, children, here, stop, waitFor, freePort } from './processes.mjs';

/** The address the app believes it is served at; the bench reaches it over plain http on loopback. */
export const PUBLIC_URL = 'https://nexmo-bench.example';
/** What the TLS-terminating proxy in front of the app would add. */
export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' };
/** Far above anything the bench sends: every limiter counts, none refuses. */
const HIGH_LIMIT = '1000000';

export async function startApp(providerUrl, extraEnv) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nexmo-bench-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    PORT: String(port),
    PUBLIC_URL,
    TRUST_PROXY: 'loopback',
    NEXMO_CONSUMER_KEY: 'benchkey',
    NEXMO_CONSUMER_SECRET: 'benchsecret',
    NEXMO_OAUTH_URL: `${providerUrl}/oauth/`,
    NEXMO_REST_URL: providerUrl,
    SQLITE_PATH: join(dir, 'bench.sqlite'),
    STORE_KEY: 'bench-store-key-0123456789abcdefghijklmnop',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    LIMIT_SMS_PER_ACCOUNT_PER_MINUTE: HIGH_LIMIT,
    LIMIT_SMS_PER_ADDRESS_PER_MINUTE: HIGH_LIMIT,
    LIMIT_SMS_PER_NUMBER_PER_HOUR: HIGH_LIMIT,
    LIMIT_SMS_PARTS_PER_ACCOUNT_PER_DAY: HIGH_LIMIT,
    LIMIT_LOGINS_PER_ADDRESS_PER_MINUTE: HIGH_LIMIT,
    ...Object.fromEntries((process.env.BENCH_APP_ENV ?? '').split(/\s+/).filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
    ...extraEnv,
  };
  if (process.env.BENCH_APP_DIST) env.BENCH_APP_SERVER = serverIn(resolve(process.env.BENCH_APP_DIST));
  // BENCH_PROFILE=<folder>: the app writes a V8 CPU profile there when it stops (--cpu-prof).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE)}`] : [];
  // The JSON log lines go to /dev/null: written, as in production, but not read.
  const child = fork(join(here, 'app-with-memory.mjs'), [], { cwd: dir, env, execArgv: ['--expose-gc', ...profile], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/healthz`)).ok, 'the app');
  pin(child.pid, SUT_CORE);
  // memory(): process.memoryUsage() after a full GC (see app-with-memory.mjs).
  return { child, base, memory: () => ask(child, 'memory'), close: async () => (await stop(child), rmSync(dir, { recursive: true, force: true })) };
}

// ---------- a browser: cookie jar + the login flow ----------

export class Browser {
  cookies = new Map();
  get cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  /** `base`: where the app is reached; its PUBLIC_URL links are followed there, as a proxy would. */
  constructor(base) {
    this.base = base;
  }
  async get(url, init = {}) {
    const target = url.startsWith(PUBLIC_URL) ? `${this.base}${url.slice(PUBLIC_URL.length)}` : url;
    const res = await fetch(target, { ...init, redirect: 'manual', headers: { ...PROXY_HEADERS, ...init.headers, cookie: this.cookieHeader } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  }
  /**
   * /auth/login → the provider's authorize page → the callback; true when connected.
   * `appMs` adds up the time the app took to answer (its two requests, provider calls included).
   */
  async login() {
    let started = performance.now();
    let res = await this.get(`${this.base}/auth/login`);
    await res.arrayBuffer();
    this.appMs += performance.now() - started;
    if (res.status !== 302) return false;
    res = await this.get(res.headers.get('location')); // the provider's authorize page
    await res.arrayBuffer();
    if (res.status !== 302) return false;
    started = performance.now();
    res = await this.get(res.headers.get('location')); // the app's callback
    await res.arrayBuffer();
    this.appMs += performance.now() - started;
    return res.status === 302 && (res.headers.get('location') ?? '').includes('notice=connected');
  }
  appMs = 0;
}

/** The entry of a build: dist/main/server.js, or dist/boot/server.js in builds made before the move. */
export function serverIn(dist) {
  const current = join(dist, 'main/server.js');
  return existsSync(current) ? current : join(dist, 'boot/server.js');
}

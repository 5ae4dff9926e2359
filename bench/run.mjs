// `npm run bench`: the app (built, as a child process) side by side with a bare forwarder, both
// sending SMS through a fast local provider on 127.0.0.1. Prints a markdown table and the
// machine. Measures only; nothing here asserts on time.
//
// The app runs as in production behind a TLS-terminating proxy (NODE_ENV=production, an https
// PUBLIC_URL, X-Forwarded-Proto: https from loopback), with JSON access logs at info level and
// every limit counting (set far above what the bench sends, so none refuses).
//
// BENCH_SECONDS (default 5): length of each load run. BENCH_CONNECTIONS (default 1,8,32).
// BENCH_LOGINS (default 200): whole logins timed. BENCH_SESSIONS (default 10000,100000):
// sessions created before each memory reading (0 skips). BENCH_PROFILE=<folder>: CPU profiles
// of the app runs (open them in Chrome DevTools). BENCH_APP_ENV="NAME=value …": more settings
// for the app, to see what one costs (e.g. LOG_LEVEL=warn, or a limit set to 0).
import { execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,8,32').split(',').map(Number);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 200);
const SESSION_CHECKPOINTS = (process.env.BENCH_SESSIONS ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
/** The address the app believes it is served at; the bench reaches it over plain http on loopback. */
const PUBLIC_URL = 'https://nexmo-bench.example';
/** What the TLS-terminating proxy in front of the app would add. */
const PROXY_HEADERS = { 'x-forwarded-proto': 'https' };
/** Far above anything the bench sends: every limiter counts, none refuses. */
const HIGH_LIMIT = '1000000';
const FORM = new URLSearchParams({ from: 'Bench', to: '447700900000', text: 'Hello' });
const notes = [];
const children = [];

// ---------- machine, pinning, CPU time ----------

const onPath = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const cores = cpus().length;
const canPin = process.platform === 'linux' && cores >= 2 && onPath('taskset');
/** System under test on core 0; the loader (this process), the provider and Redis on core 1. */
const SUT_CORE = '0';
const LOADER_CORE = '1';
function pin(pid, core) {
  if (canPin) execFileSync('taskset', ['-a', '-cp', core, String(pid)], { stdio: 'ignore' });
}
if (canPin) pin(process.pid, LOADER_CORE);
else notes.push(cores < 2 ? 'Only one core: the system under test and the loader share it (no pinning).' : 'taskset not available: processes are not pinned to cores.');

let clockTicks = 100;
try {
  clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {}
/** utime + stime of a process, in milliseconds (Linux /proc). */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 (state) is index 0; utime is field 14, stime 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

// ---------- processes ----------

async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

function forkReady(script, env = {}) {
  const child = fork(join(here, script), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolveReady, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.on('message', (msg) => msg?.type === 'ready' && resolveReady({ child, port: msg.port }));
  });
}

async function waitFor(check, what, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not become ready`);
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
    setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
  });
}

function providerStats(provider) {
  return new Promise((r) => {
    const onMessage = (msg) => {
      if (msg?.type !== 'stats') return;
      provider.off('message', onMessage);
      r(msg);
    };
    provider.on('message', onMessage);
    provider.send({ type: 'stats' });
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.push(child);
  await waitFor(() => new Promise((r) => {
    const s = netConnect(port, '127.0.0.1', () => (s.destroy(), r(true)));
    s.on('error', () => r(false));
  }), 'redis-server');
  pin(child.pid, LOADER_CORE);
  return { child, url: `redis://127.0.0.1:${port}` };
}

async function startApp(providerUrl, extraEnv) {
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
  // BENCH_PROFILE=<folder>: the app writes a V8 CPU profile there when it stops (--cpu-prof).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE)}`] : [];
  // The JSON log lines go to /dev/null: written, as in production, but not read.
  const child = fork(join(here, 'app-with-memory.mjs'), [], { cwd: dir, env, execArgv: ['--expose-gc', ...profile], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/healthz`)).ok, 'the app');
  pin(child.pid, SUT_CORE);
  return { child, base, memory: () => memoryOf(child), close: async () => (await stop(child), rmSync(dir, { recursive: true, force: true })) };
}

/** The app's memory after a full garbage collection (see app-with-memory.mjs). */
function memoryOf(child) {
  return new Promise((r) => {
    const onMessage = (msg) => {
      if (msg?.type !== 'memory') return;
      child.off('message', onMessage);
      r(msg);
    };
    child.on('message', onMessage);
    child.send({ type: 'memory' });
  });
}

// ---------- a browser: cookie jar + the login flow ----------

class Browser {
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

// ---------- load ----------

function load({ url, connections, headers, body }) {
  return new Promise((resolveRun, reject) => {
    const statuses = {};
    const instance = autocannon({ url, connections, duration: SECONDS, method: 'POST', headers, body }, (err, result) => (err ? reject(err) : resolveRun({ result, statuses })));
    instance.on('response', (_client, status) => (statuses[status] = (statuses[status] ?? 0) + 1));
  });
}

/** One load run per connection count against `target` (a POST URL sending one SMS per request). */
async function measure(label, { url, headers, pid, provider, body }) {
  const rows = [];
  for (const c of CONNECTIONS) {
    const before = await providerStats(provider);
    const cpuBefore = cpuMs(pid);
    const { result, statuses } = await load({ url, connections: c, headers, body });
    const cpuAfter = cpuMs(pid);
    await sleep(200); // let the last forwarded sends land
    const after = await providerStats(provider);
    const ok = statuses[303] ?? 0;
    const smsHits = (after.counts['POST /sms/json'] ?? 0) - (before.counts['POST /sms/json'] ?? 0);
    const newConns = after.connections - before.connections;
    const other = Object.entries(statuses).filter(([s]) => s !== '303');
    // autocannon stops at the deadline with up to `c` requests in flight: those reach the
    // provider but their 303s are never counted. Anything beyond that is a failed send.
    const valid = ok > 0 && smsHits >= ok && smsHits <= ok + c && other.length === 0 && result.errors === 0 && result.timeouts === 0;
    if (!valid) {
      console.warn(`WARNING ${label} c=${c}: ${ok} × 303, provider saw ${smsHits} sends, other statuses ${JSON.stringify(Object.fromEntries(other))}, errors ${result.errors}, timeouts ${result.timeouts} — row marked invalid`);
    }
    rows.push({
      label,
      c,
      valid,
      ok,
      smsHits,
      sendsPerSec: ok / (result.duration || SECONDS),
      p50: result.latency.p50,
      p99: result.latency.p99,
      cpuPerSend: ok ? (cpuAfter - cpuBefore) / ok : NaN,
      connsPer1000: ok ? (newConns * 1000) / ok : NaN,
    });
    console.error(`  ${label} c=${c}: ${ok} sends${valid ? '' : ' (INVALID)'}`);
  }
  return rows;
}

/** Logs in, loads POST /sms, then times whole logins; `start` brings up the system under test. */
async function benchApp(label, provider, start) {
  const app = await start();
  try {
    const browser = new Browser(app.base);
    if (!(await browser.login())) throw new Error(`${label}: the login through the fast provider failed`);
    const page = await browser.get(`${app.base}/sms`);
    const html = await page.text();
    const csrf = /name="_csrf"\s+value="([^"]+)"/.exec(html)?.[1];
    if (page.status !== 200 || !csrf) throw new Error(`${label}: /sms answered ${page.status} without a _csrf token`);
    const body = new URLSearchParams({ _csrf: csrf, ...Object.fromEntries(FORM) }).toString();
    const headers = { ...PROXY_HEADERS, cookie: browser.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' };
    // One checked send: a 303 to /messages/… (autocannon sees statuses, not headers).
    const probe = await fetch(`${app.base}/sms`, { method: 'POST', redirect: 'manual', headers, body });
    await probe.arrayBuffer();
    if (probe.status !== 303 || !probe.headers.get('location')?.startsWith('/messages/')) throw new Error(`${label}: a send answered ${probe.status} → ${probe.headers.get('location')}`);

    const rows = await measure(label, { url: `${app.base}/sms`, headers, body, pid: app.child.pid, provider });

    // Whole logins, one at a time, each a fresh browser.
    const before = await providerStats(provider);
    const cpuBefore = cpuMs(app.child.pid);
    const started = performance.now();
    let logins = 0;
    let appMs = 0;
    for (let i = 0; i < LOGINS; i++) {
      const b = new Browser(app.base);
      if (await b.login()) logins++;
      appMs += b.appMs;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuMs(app.child.pid);
    const after = await providerStats(provider);
    const login = { label, attempted: LOGINS, logins, perSec: logins / seconds, appMsPerLogin: appMs / LOGINS, cpuPerLogin: (cpuAfter - cpuBefore) / logins, connsPer100: ((after.connections - before.connections) * 100) / logins };
    const memory = app.memory ? await sessionGrowth(label, app) : [];
    return { rows, login, memory };
  } finally {
    await app.close();
  }
}

/**
 * Creates sessions by starting logins from cookie-less clients (each one a new session with a
 * pending login, as a visitor who clicks Connect), reading the app's memory after a full GC at
 * each checkpoint of SESSION_CHECKPOINTS.
 */
async function sessionGrowth(label, app) {
  const readings = [];
  let created = 0;
  for (const target of SESSION_CHECKPOINTS) {
    while (created < target) {
      const amount = target - created;
      const statuses = {};
      await new Promise((resolveRun, reject) => {
        const instance = autocannon({ url: `${app.base}/auth/login`, connections: 16, amount, headers: PROXY_HEADERS }, (err) => (err ? reject(err) : resolveRun()));
        instance.on('response', (_client, status) => (statuses[status] = (statuses[status] ?? 0) + 1));
      });
      const started = statuses[302] ?? 0;
      if (started === 0) throw new Error(`${label}: login starts answered ${JSON.stringify(statuses)}`);
      created += started;
    }
    const memory = await app.memory();
    readings.push({ label, sessions: created, heapMb: memory.heapUsed / 2 ** 20, rssMb: memory.rss / 2 ** 20 });
    console.error(`  ${label}: ${created} sessions, heap ${fmt(memory.heapUsed / 2 ** 20, 1)} MB`);
  }
  return readings;
}

// ---------- output ----------

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function table(rows) {
  const lines = ['| system under test | connections | sends/s | p50 ms | p99 ms | CPU ms / send | new provider conns / 1000 sends | 303s / provider sends | valid |', '|---|---:|---:|---:|---:|---:|---:|---:|:---:|'];
  for (const r of rows) lines.push(`| ${r.label} | ${r.c} | ${fmt(r.sendsPerSec)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.cpuPerSend, 2)} | ${fmt(r.connsPer1000)} | ${r.ok} / ${r.smsHits} | ${r.valid ? 'yes' : '**no**'} |`);
  return lines.join('\n');
}

async function main() {
  if (!existsSync(join(root, 'dist/server.js'))) throw new Error('dist/server.js is missing: run `npm run build` first');
  const { child: provider, port: providerPort } = await forkReady('provider.mjs');
  pin(provider.pid, LOADER_CORE);
  const providerUrl = `http://127.0.0.1:${providerPort}`;

  const rows = [];
  const logins = [];
  const memory = [];
  console.error('app, SQLite store');
  const sqlite = await benchApp('app (SQLite)', provider, () => startApp(providerUrl, {}));
  rows.push(...sqlite.rows);
  logins.push(sqlite.login);
  memory.push(...sqlite.memory);

  if (onPath('redis-server')) {
    console.error('app, Redis store');
    const redis = await startRedis();
    try {
      const r = await benchApp('app (Redis)', provider, () => startApp(providerUrl, { REDIS_URL: redis.url }));
      rows.push(...r.rows);
      logins.push(r.login);
      memory.push(...r.memory);
    } finally {
      await stop(redis.child);
    }
  } else notes.push('redis-server is not on PATH: the Redis row is skipped.');

  console.error('bare forwarder');
  const { child: forwarder, port: fwdPort } = await forkReady('forwarder.mjs', { PROVIDER_URL: providerUrl });
  pin(forwarder.pid, SUT_CORE);
  rows.push(...(await measure('bare forwarder', { url: `http://127.0.0.1:${fwdPort}/sms`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: FORM.toString(), pid: forwarder.pid, provider })));
  await stop(forwarder);

  console.error('peer (Express + express-session + passport-oauth1 + oauth)');
  const peer = await benchApp('peer', provider, async () => {
    const { child, port } = await forkReady('peer.mjs', { PROVIDER_URL: providerUrl });
    pin(child.pid, SUT_CORE);
    return { child, base: `http://127.0.0.1:${port}`, close: () => stop(child) };
  });
  rows.push(...peer.rows);
  logins.push(peer.login);
  await stop(provider);

  const appLabels = [...new Set(rows.filter((r) => r.label.startsWith('app')).map((r) => r.label))];
  const pairs = appLabels.flatMap((l) => [[l, 'bare forwarder'], [l, 'peer']]);
  const ratios = [`| connections | ${pairs.map(([a, b]) => `${a} / ${b}`).join(' | ')} |`, `|---:|${pairs.map(() => '---:|').join('')}`];
  for (const c of CONNECTIONS) {
    const cells = pairs.map(([l, other]) => {
      const a = rows.find((r) => r.label === l && r.c === c);
      const b = rows.find((r) => r.label === other && r.c === c);
      return a && b && a.valid && b.valid ? `${fmt(a.sendsPerSec / b.sendsPerSec, 2)}× sends/s, ${fmt(a.cpuPerSend / b.cpuPerSend, 1)}× CPU/send` : '–';
    });
    ratios.push(`| ${c} | ${cells.join(' | ')} |`);
  }

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(`\n### SMS sends: ${SECONDS} s per row, form POST → signed POST /sms/json → 303\n`);
  console.log(table(rows));
  console.log('\n### Ratios (app / bare forwarder, app / peer)\n');
  console.log(ratios.join('\n'));
  console.log('\n### Whole logins, one at a time (request token → authorize → callback → access token)\n');
  console.log('| system under test | logins/s | app ms / login | CPU ms / login | new provider conns / 100 logins |\n|---|---:|---:|---:|---:|');
  for (const l of logins) console.log(`| ${l.label} | ${fmt(l.perSec)} | ${fmt(l.appMsPerLogin, 1)} | ${fmt(l.cpuPerLogin, 2)} | ${fmt(l.connsPer100)} |`);
  if (memory.length > 0) {
    console.log('\n### Memory as sessions accumulate (each a started login; after a full GC)\n');
    console.log('| system under test | sessions | heap used MB | RSS MB |\n|---|---:|---:|---:|');
    for (const m of memory) console.log(`| ${m.label} | ${m.sessions} | ${fmt(m.heapMb, 1)} | ${fmt(m.rssMb, 1)} |`);
  }
  console.log(`\nMachine: ${cpu}, ${cores} cores, Node ${process.version}, ${process.platform}/${process.arch}.`);
  console.log(canPin ? `Pinned: system under test on core ${SUT_CORE}; loader (autocannon), provider and Redis on core ${LOADER_CORE}.` : '');
  console.log('CPU/send is the system under test\'s own process (utime+stime); Redis\'s CPU is not included.');
  for (const n of notes) console.log(n);
}

const cleanup = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGTERM'));
process.on('SIGINT', () => (cleanup(), process.exit(130)));
main().catch((err) => {
  console.error(err);
  cleanup();
  process.exitCode = 1;
});

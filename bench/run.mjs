// `npm run bench`: the app (built, as a child process) side by side with a bare forwarder and a
// peer written the usual way, all sending SMS through a fast local provider on 127.0.0.1.
// Prints markdown tables and the machine. Measures only; nothing here asserts on time.
//
// The app runs as in production behind a TLS-terminating proxy (NODE_ENV=production, an https
// PUBLIC_URL, X-Forwarded-Proto: https from loopback), with JSON access logs at info level and
// every limit counting (set far above what the bench sends, so none refuses).
//
// BENCH_SECONDS (default 5): length of each load run. BENCH_CONNECTIONS (default 1,8,32).
// BENCH_LOGINS (default 200): whole logins timed. BENCH_SESSIONS (default 10000,100000):
// sessions created before each memory reading (0 skips). BENCH_PROFILE=<folder>: CPU profiles
// of the app runs (open them in Chrome DevTools). BENCH_SYSTEMS=app-sqlite,app-redis,forwarder,
// peer,peer-redis: which systems run. BENCH_APP_DIST=<folder>: another build of the app to run
// (another checkout's dist/, to compare before and after on one machine). BENCH_APP_ENV="NAME=value …": more settings
// for the app, to see what one costs (e.g. LOG_LEVEL=warn, or a limit set to 0).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import autocannon from 'autocannon';

import { Browser, PROXY_HEADERS, serverIn, startApp } from './appUnderTest.mjs';
import { LOADER_CORE, SUT_CORE, cpuMs, onPath, pin, pinningNote } from './machine.mjs';
import { forkReady, here, providerStats, startRedis, stop, stopAll } from './processes.mjs';
import { fmt, printReport } from './report.mjs';

const root = resolve(here, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,8,32').split(',').map(Number);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 200);
// BENCH_SYSTEMS: which systems under test run, of these (all by default).
const SYSTEMS = (process.env.BENCH_SYSTEMS ?? 'app-sqlite,app-redis,forwarder,peer,peer-redis').split(',');
const SESSION_CHECKPOINTS = (process.env.BENCH_SESSIONS ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
// A valid UK mobile: live mode refuses numbers the phone-number library finds invalid (such as the
// fictional 07700 900xxx range), and the bench's provider is only a stand-in, so nothing is sent.
const FORM = new URLSearchParams({ from: 'Bench', to: '447400123456', text: 'Hello' });
const notes = pinningNote ? [pinningNote] : [];
// With BENCH_PROFILE, the measured windows are written beside the profiles (windows.json), on
// the monotonic clock the profiles' timestamps use, so a profile can be read for one window only.
const profileWindows = [];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
pin(process.pid, LOADER_CORE);

/**
 * `body`: one form body for every request, or a function giving each request its own (the app's
 * forms carry a one-time send key: a form posted twice is one send, so each POST is a new form).
 */
function load({ url, connections, headers, body }) {
  return new Promise((resolveRun, reject) => {
    const statuses = {};
    const perRequest = typeof body === 'function' ? { requests: [{ method: 'POST', path: new URL(url).pathname, headers, setupRequest: (req) => ({ ...req, body: body() }) }] } : { body };
    const instance = autocannon({ url, connections, duration: SECONDS, method: 'POST', headers, ...perRequest }, (err, result) => (err ? reject(err) : resolveRun({ result, statuses })));
    instance.on('response', (_client, status) => (statuses[status] = (statuses[status] ?? 0) + 1));
  });
}

/**
 * One load run per connection count against `target` (a POST URL sending one SMS per request).
 * `forms(count)`, when given, draws that many fresh form bodies before a run (outside the
 * measured time): enough for the last run's rate, with room to spare.
 */
async function measure(label, { url, headers, pid, provider, body, forms, redisPid }) {
  const rows = [];
  let expected = 400 * SECONDS;
  let previousConnections = 1;
  for (const c of CONNECTIONS) {
    let runBody = body;
    if (forms) {
      // From 1 to 8 connections the rate can grow fourfold (the Redis app's did 3.3×), from 8 to
      // 32 far less: room for that, or the last form is posted again (see below).
      const growth = c / previousConnections >= 8 ? 4 : 2;
      const pool = await forms(Math.ceil(expected * growth) + 200);
      let next = 0;
      // Past the end of the pool the last form is posted again: those posts send nothing, and the
      // row shows it (fewer provider sends than 303s, marked invalid).
      runBody = () => pool[Math.min(next++, pool.length - 1)];
    }
    const before = await providerStats(provider);
    const cpuBefore = cpuMs(pid);
    const redisBefore = redisPid ? cpuMs(redisPid) : NaN;
    const windowStart = nowUs();
    const { result, statuses } = await load({ url, connections: c, headers, body: runBody });
    profileWindows.push({ pid, label: `${label} sends c=${c}`, start: windowStart, end: nowUs() });
    const cpuAfter = cpuMs(pid);
    const redisAfter = redisPid ? cpuMs(redisPid) : NaN;
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
      redisUsPerSend: ok ? ((redisAfter - redisBefore) * 1000) / ok : NaN,
      connsPer1000: ok ? (newConns * 1000) / ok : NaN,
    });
    console.error(`  ${label} c=${c}: ${ok} sends${valid ? '' : ' (INVALID)'}`);
    expected = Math.max(expected, ok);
    previousConnections = c;
  }
  return rows;
}

/** Logs in, loads POST /sms, then times whole logins; `start` brings up the system under test. */
async function benchApp(label, provider, start, redisPid) {
  const app = await start();
  try {
    const browser = new Browser(app.base);
    if (!(await browser.login())) throw new Error(`${label}: the login through the fast provider failed`);
    const page = await browser.get(`${app.base}/sms`);
    const html = await page.text();
    const csrf = /name="_csrf"\s+value="([^"]+)"/.exec(html)?.[1];
    if (page.status !== 200 || !csrf) throw new Error(`${label}: /sms answered ${page.status} without a _csrf token`);
    const sendKeyOf = (text) => /name="sendKey"\s+value="([^"]+)"/.exec(text)?.[1];
    // The app holds back the same text to the same number from one browser within minutes (a
    // form refilled after Back): each drawn form says something of its own, as distinct sends do.
    let drawn = 0;
    const bodyOf = (sendKey) => {
      const text = sendKey ? `${FORM.get('text')} ${++drawn}` : FORM.get('text');
      return new URLSearchParams({ _csrf: csrf, ...(sendKey ? { sendKey } : {}), ...Object.fromEntries(FORM), text }).toString();
    };
    const body = bodyOf(sendKeyOf(html));
    const headers = { ...PROXY_HEADERS, cookie: browser.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' };
    // The app's forms each send once: every POST of the load is a form drawn for it beforehand.
    const forms = sendKeyOf(html) ? (count) => drawForms(browser, `${app.base}/sms`, count, (text) => bodyOf(sendKeyOf(text))) : undefined;
    // One checked send: a 303 to /messages/… (autocannon sees statuses, not headers).
    const probe = await fetch(`${app.base}/sms`, { method: 'POST', redirect: 'manual', headers, body });
    await probe.arrayBuffer();
    if (probe.status !== 303 || !probe.headers.get('location')?.startsWith('/messages/')) throw new Error(`${label}: a send answered ${probe.status} → ${probe.headers.get('location')}`);

    const rows = await measure(label, { url: `${app.base}/sms`, headers, body, forms, pid: app.child.pid, provider, redisPid });

    // Whole logins, one at a time, each a fresh browser.
    const before = await providerStats(provider);
    const cpuBefore = cpuMs(app.child.pid);
    const started = performance.now();
    const loginsStart = nowUs();
    let logins = 0;
    let appMs = 0;
    for (let i = 0; i < LOGINS; i++) {
      const b = new Browser(app.base);
      if (await b.login()) logins++;
      appMs += b.appMs;
    }
    const seconds = (performance.now() - started) / 1000;
    profileWindows.push({ pid: app.child.pid, label: `${label} logins`, start: loginsStart, end: nowUs() });
    const cpuAfter = cpuMs(app.child.pid);
    const after = await providerStats(provider);
    const login = { label, attempted: LOGINS, logins, perSec: logins / seconds, appMsPerLogin: appMs / LOGINS, cpuPerLogin: (cpuAfter - cpuBefore) / logins, connsPer100: ((after.connections - before.connections) * 100) / logins };
    const memory = app.memory ? await sessionGrowth(label, app) : [];
    return { rows, login, memory };
  } finally {
    await app.close();
  }
}

/** `count` form bodies, from as many GET /sms, 16 at a time. */
async function drawForms(browser, url, count, bodyOf) {
  const bodies = [];
  const worker = async () => {
    while (bodies.length < count) {
      const page = await browser.get(url);
      const text = await page.text();
      if (page.status !== 200) throw new Error(`drawing forms: /sms answered ${page.status}`);
      bodies.push(bodyOf(text));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return bodies;
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

async function main() {
  const dist = resolve(process.env.BENCH_APP_DIST ?? join(root, 'dist'));
  if (!existsSync(serverIn(dist))) throw new Error(`${dist}/main/server.js is missing: run \`npm run build\` first`);
  if (process.env.BENCH_APP_DIST) notes.push(`The app rows ran the build in ${dist}.`);
  const { child: provider, port: providerPort } = await forkReady('provider.mjs');
  pin(provider.pid, LOADER_CORE);
  const providerUrl = `http://127.0.0.1:${providerPort}`;

  const rows = [];
  const logins = [];
  const memory = [];
  const startPeer = (env) => async () => {
    const { child, port } = await forkReady('peer.mjs', { PROVIDER_URL: providerUrl, ...env });
    pin(child.pid, SUT_CORE);
    return { child, base: `http://127.0.0.1:${port}`, close: () => stop(child) };
  };
  // Each system under test in turn; `redis`: it gets a throwaway redis-server of its own.
  const systems = [
    { id: 'app-sqlite', label: 'app (SQLite)', what: 'app, SQLite store', start: () => startApp(providerUrl, {}) },
    { id: 'app-redis', label: 'app (Redis)', what: 'app, Redis store', redis: true, start: (url) => startApp(providerUrl, { REDIS_URL: url }) },
    { id: 'forwarder', label: 'bare forwarder', what: 'bare forwarder' },
    { id: 'peer', label: 'peer', what: 'peer (Express + express-session + passport-oauth1 + oauth)', start: startPeer({}) },
    { id: 'peer-redis', label: 'peer-redis', what: 'peer-redis (the same, sessions in Redis through connect-redis)', redis: true, start: (url) => startPeer({ REDIS_URL: url })() },
  ].filter((s) => SYSTEMS.includes(s.id));
  for (const system of systems) {
    if (system.redis && !onPath('redis-server')) {
      notes.push(`redis-server is not on PATH: ${system.label} is skipped.`);
      continue;
    }
    console.error(system.what);
    if (system.id === 'forwarder') {
      const { child, port } = await forkReady('forwarder.mjs', { PROVIDER_URL: providerUrl });
      pin(child.pid, SUT_CORE);
      rows.push(...(await measure(system.label, { url: `http://127.0.0.1:${port}/sms`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: FORM.toString(), pid: child.pid, provider })));
      await stop(child);
      continue;
    }
    const redis = system.redis ? await startRedis() : undefined;
    try {
      const result = await benchApp(system.label, provider, () => system.start(redis?.url), redis?.child.pid);
      rows.push(...result.rows);
      logins.push(result.login);
      memory.push(...result.memory);
    } finally {
      if (redis) await stop(redis.child);
    }
  }
  await stop(provider);

  printReport({ rows, logins, memory, connections: CONNECTIONS, seconds: SECONDS, notes });
  if (process.env.BENCH_PROFILE) mkdirSync(resolve(process.env.BENCH_PROFILE), { recursive: true });
  if (process.env.BENCH_PROFILE) writeFileSync(join(resolve(process.env.BENCH_PROFILE), 'windows.json'), JSON.stringify(profileWindows, null, 1));
}

process.on('SIGINT', () => (stopAll(), process.exit(130)));
main().catch((err) => {
  console.error(err);
  stopAll();
  process.exitCode = 1;
});

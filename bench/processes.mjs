// The child processes of a bench run: free ports, forked scripts that report readiness over IPC,
// a throwaway redis-server, and stopping them all, however the run ends.
import { fork, spawn } from 'node:child_process';
import { createServer, connect as netConnect } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { LOADER_CORE, pin } from './machine.mjs';

export const here = fileURLToPath(new URL('.', import.meta.url));
/** Every child started, so that an interrupted run stops them too. */
export const children = [];

export const stopAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGTERM'));

export async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

export function forkReady(script, env = {}) {
  // BENCH_PROFILE: the systems under test (not the stand-in provider) write CPU profiles too.
  const profile = process.env.BENCH_PROFILE && script !== 'provider.mjs' ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE)}`] : [];
  const child = fork(join(here, script), [], { env: { ...process.env, ...env }, execArgv: profile, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolveReady, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.on('message', (msg) => msg?.type === 'ready' && resolveReady({ child, port: msg.port }));
  });
}

export async function waitFor(check, what, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not become ready`);
}

export function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
    setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
  });
}

/** Sends a child `{ type }` over IPC and resolves with its first answer of that type. */
export function ask(child, type) {
  return new Promise((r) => {
    const onMessage = (msg) => {
      if (msg?.type !== type) return;
      child.off('message', onMessage);
      r(msg);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

/** The provider's counters: requests per path and new TCP connections. */
export const providerStats = (provider) => ask(provider, 'stats');

export async function startRedis() {
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

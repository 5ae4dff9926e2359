import { pathToFileURL } from 'node:url';

// The built app as the bench runs it, plus one thing for the bench alone: asked over the IPC
// channel ({ type: 'memory' }), it collects garbage (needs --expose-gc) and answers with
// process.memoryUsage(), so heap growth is measured on live objects only.
process.on('message', (msg) => {
  if (msg?.type !== 'memory') return;
  globalThis.gc?.();
  globalThis.gc?.();
  process.send({ type: 'memory', ...process.memoryUsage() });
});

// BENCH_APP_SERVER: another build's server.js (BENCH_APP_DIST in run.mjs); this checkout's by default.
await import(process.env.BENCH_APP_SERVER ? pathToFileURL(process.env.BENCH_APP_SERVER).href : '../dist/main/server.js');

// The bench's report: markdown tables of sends, ratios, logins and memory, and the machine.
import { cpus } from 'node:os';

import { LOADER_CORE, SUT_CORE, canPin, cores } from './machine.mjs';

export const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

export function table(rows) {
  const lines = ['| system under test | connections | sends/s | p50 ms | p99 ms | CPU ms / send | Redis µs / send | new provider conns / 1000 sends | 303s / provider sends | valid |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|'];
  for (const r of rows) lines.push(`| ${r.label} | ${r.c} | ${fmt(r.sendsPerSec)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.cpuPerSend, 2)} | ${fmt(r.redisUsPerSend)} | ${fmt(r.connsPer1000)} | ${r.ok} / ${r.smsHits} | ${r.valid ? 'yes' : '**no**'} |`);
  return lines.join('\n');
}

/** Prints the whole report as markdown on stdout. */
export function printReport({ rows, logins, memory, connections, seconds, notes }) {
  const appLabels = [...new Set(rows.filter((r) => r.label.startsWith('app')).map((r) => r.label))];
  // Each app row against the forwarder and the MemoryStore peer; the Redis app also against
  // peer-redis, the usual way with the same kind of store.
  const others = new Set(rows.map((r) => r.label));
  const pairs = appLabels.flatMap((l) => [[l, 'bare forwarder'], [l, 'peer'], ...(l.includes('Redis') ? [[l, 'peer-redis']] : [])]).filter(([, b]) => others.has(b));
  const ratios = [`| connections | ${pairs.map(([a, b]) => `${a} / ${b}`).join(' | ')} |`, `|---:|${pairs.map(() => '---:|').join('')}`];
  for (const c of connections) {
    const cells = pairs.map(([l, other]) => {
      const a = rows.find((r) => r.label === l && r.c === c);
      const b = rows.find((r) => r.label === other && r.c === c);
      return a && b && a.valid && b.valid ? `${fmt(a.sendsPerSec / b.sendsPerSec, 2)}× sends/s, ${fmt(a.cpuPerSend / b.cpuPerSend, 1)}× CPU/send` : '–';
    });
    ratios.push(`| ${c} | ${cells.join(' | ')} |`);
  }

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(`\n### SMS sends: ${seconds} s per row, form POST → signed POST /sms/json → 303\n`);
  console.log(table(rows));
  if (pairs.length > 0) {
    console.log('\n### Ratios (app / bare forwarder, app / peer, app (Redis) / peer-redis)\n');
    console.log(ratios.join('\n'));
  }
  console.log('\n### Whole logins, one at a time (request token → authorize → callback → access token)\n');
  console.log('| system under test | logins/s | app ms / login | CPU ms / login | new provider conns / 100 logins |\n|---|---:|---:|---:|---:|');
  for (const l of logins) console.log(`| ${l.label} | ${fmt(l.perSec)} | ${fmt(l.appMsPerLogin, 1)} | ${fmt(l.cpuPerLogin, 2)} | ${fmt(l.connsPer100)} |`);
  const loginOf = (label) => logins.find((l) => l.label === label);
  const loginPairs = [['app (SQLite)', 'peer'], ['app (Redis)', 'peer'], ['app (Redis)', 'peer-redis']].filter(([a, b]) => loginOf(a) && loginOf(b));
  if (loginPairs.length > 0) console.log(`\nCPU per login: ${loginPairs.map(([a, b]) => `${a} / ${b} ${fmt(loginOf(a).cpuPerLogin / loginOf(b).cpuPerLogin, 2)}×`).join(', ')}.`);
  if (memory.length > 0) {
    console.log('\n### Memory as sessions accumulate (each a started login; after a full GC)\n');
    console.log('| system under test | sessions | heap used MB | RSS MB |\n|---|---:|---:|---:|');
    for (const m of memory) console.log(`| ${m.label} | ${m.sessions} | ${fmt(m.heapMb, 1)} | ${fmt(m.rssMb, 1)} |`);
  }
  console.log(`\nMachine: ${cpu}, ${cores} cores, Node ${process.version}, ${process.platform}/${process.arch}.`);
  console.log(canPin ? `Pinned: system under test on core ${SUT_CORE}; loader (autocannon), provider and Redis on core ${LOADER_CORE}.` : '');
  console.log('CPU/send is the system under test\'s own process (utime+stime); Redis\'s own CPU is the separate column.');
  for (const n of notes) console.log(n);
}

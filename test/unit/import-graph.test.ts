// The shape of src/ as a spec: no import cycle (type imports included), no module importing
// from a layer above its own, and browser code that reaches nothing of Node's. Read with the
// TypeScript compiler's import scanner (test/helpers/importGraph.ts), from the sources.

import { describe, expect, it } from 'vitest';

import { projectRoot } from '../../src/config/paths.js';
import { findCycles, reachableFrom, readImportGraph, upwardImports, type Layer } from '../helpers/importGraph.js';

/**
 * The layers are the folders of src/, lowest first; a module may import from its own layer or
 * any below it. docs/architecture.md draws them and a send's way through them. Why this order:
 * - lib: helpers with no knowledge of the app (constant-time comparison, percent-encoding).
 * - config: the configuration (schema, values, rules, .env, paths, the provider plan): read by
 *   every layer, the only reader of the environment.
 * - logging: the logger and the one masking of secrets; they read the log level from config.
 * - domain: what the app knows, with no HTTP in it: the OAuth consumer and login, Nexmo's API,
 *   the send as a unit of work, limits, the protocol timeline, the stores, and the words for
 *   people (present). They use each other's types both ways, so they are one layer, held
 *   together by the no-cycle rule rather than by an order.
 * - http: middleware only (errors, access log, security headers, hosts, CSRF, session).
 * - routes: one router per area, and every route path, defined once.
 * - main: the composition root: the server, the wiring of every part, the starting page.
 * - browser: entry points for the browser; what they may reach is narrowed below.
 */
const FOLDER_LAYERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['lib', ['lib']],
  ['config', ['config']],
  ['logging', ['logging']],
  ['domain', ['oauth', 'nexmo', 'sending', 'limits', 'timeline', 'metrics', 'store', 'present']],
  ['http', ['http']],
  ['routes', ['routes']],
  ['main', ['main']],
  ['browser', ['browser']],
];

const LAYERS: Layer[] = FOLDER_LAYERS.map(([name, folders]) => ({ name, holds: (module: string) => folders.some((folder) => module.startsWith(`src/${folder}/`)) }));

const graph = readImportGraph(projectRoot, 'src');

describe('the import graph of src/', () => {
  it('is read whole: every module, every import resolved to a file', () => {
    expect(graph.unresolved).toEqual([]);
    expect(graph.edges.size).toBeGreaterThan(80);
    // Known edges of each kind the scanner must see: a value import, a type-only import, a re-export.
    expect(graph.edges.get('src/sending/send.ts')).toContain('src/nexmo/segments.ts');
    expect(graph.edges.get('src/routes/sms.ts')).toContain('src/nexmo/smsClient.ts');
    expect(graph.edges.get('src/config/config.ts')).toContain('src/config/configTypes.ts');
  });

  it('has no import cycle, type imports included', () => {
    const cycles = findCycles(graph.edges);
    if (cycles.length > 0) console.log(`import cycles:\n${cycles.join('\n')}`);
    expect(cycles).toEqual([]);
  });

  it('places every module in a layer and imports nothing from a layer above', () => {
    const upward = upwardImports(graph.edges, LAYERS);
    if (upward.length > 0) console.log(`upward imports:\n${upward.join('\n')}`);
    expect(upward).toEqual([]);
  });

  it('keeps the sandbox package behind its public API: no relative import leaves src/', () => {
    const leaving = [...graph.edges].flatMap(([from, targets]) => targets.filter((to) => !to.startsWith('src/')).map((to) => `${from} -> ${to}`));
    expect(leaving).toEqual([]);
  });

  it('lets browser code reach only shared modules with no package or Node import', () => {
    const entries = [...graph.edges.keys()].filter((module) => module.startsWith('src/browser/'));
    expect(entries).toEqual(expect.arrayContaining(['src/browser/sms-counter.ts', 'src/browser/message-status.ts', 'src/browser/sent-form.ts']));
    const reached = [...reachableFrom(graph.edges, entries)].sort();
    expect(reached.filter((module) => !/^src\/(browser|nexmo|present|lib)\//.test(module))).toEqual([]);
    expect(reached.flatMap((module) => (graph.packages.get(module) ?? []).map((name) => `${module} -> ${name}`))).toEqual([]);
    // What the pages share with the server: money, dates, the Delivery cell, the send id's shape.
    expect(reached).toEqual(expect.arrayContaining(['src/present/money.ts', 'src/present/dates.ts', 'src/present/receiptCell.ts', 'src/lib/sendId.ts']));
  });
});

describe('the graph checks themselves', () => {
  const edges = new Map([
    ['src/lib/a.ts', ['src/lib/b.ts']],
    ['src/lib/b.ts', ['src/lib/a.ts']],
    ['src/routes/r.ts', ['src/lib/a.ts']],
    ['src/lib/c.ts', ['src/routes/r.ts']],
  ]);

  it('finds a cycle, and only it', () => {
    expect(findCycles(edges)).toEqual(['src/lib/a.ts -> src/lib/b.ts -> src/lib/a.ts']);
  });

  it('finds an import from a higher layer, and allows the ones downwards', () => {
    expect(upwardImports(edges, LAYERS)).toEqual(['src/lib/c.ts (lib) -> src/routes/r.ts (routes)']);
  });

  it('refuses a module no layer holds', () => {
    expect(() => upwardImports(new Map([['src/elsewhere/x.ts', []]]), LAYERS)).toThrow('no layer holds src/elsewhere/x.ts');
  });
});

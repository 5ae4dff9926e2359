// The shape of src/ as a spec: no import cycle (type imports included), no module importing
// from a layer above its own, and browser code that reaches nothing of Node's. Read with the
// TypeScript compiler's import scanner (test/helpers/importGraph.ts), from the sources.

import { describe, expect, it } from 'vitest';

import { projectRoot } from '../../src/boot/paths.js';
import { findCycles, reachableFrom, readImportGraph, upwardImports, type Layer } from '../helpers/importGraph.js';

const inFolder = (...folders: string[]) => (module: string) => folders.some((folder) => module.startsWith(`src/${folder}/`));
const isModule = (...modules: string[]) => (module: string) => modules.includes(module);

/**
 * Lowest first; a module may import from its own layer or any below it. Why this order:
 * - lib: helpers with no knowledge of the app (constant-time comparison, percent-encoding).
 * - settings: boot/ holds two kinds of module. The configuration (its types, schema, rules, the
 *   sandbox-or-live decision, the project paths) is read by every layer, so it sits low; only
 *   the start-up that wires everything together (compose, server) is the top layer.
 * - logging: the logger and the one masking module; they read the log level from settings.
 * - domain: what the app knows (oauth, nexmo, store, present). These four use each other's
 *   types both ways (the stores keep Nexmo's outcomes and the login's pending tokens; the Nexmo
 *   client signs with the oauth consumer; balanceCache reads stored sends), so they are one
 *   layer, held together by the no-cycle rule rather than by an order.
 * - http: the middleware the routes use (HttpError and the handler, CSRF, session, hosts,
 *   security headers, access log). Routes import it, so it is below them.
 * - limits: counting and the 429 answers, which are HttpErrors, so above http.
 * - routes: one router per page or API.
 * - composition: http/app.ts mounts the routes and middleware: above all of them.
 * - startup: boot/compose.ts and boot/server.ts build the app from the configuration.
 * - browser: entry points for the browser; what they may reach is narrowed below.
 */
const LAYERS: Layer[] = [
  { name: 'lib', holds: inFolder('lib') },
  {
    name: 'settings',
    holds: isModule(...['config', 'configTypes', 'configSchema', 'configRules', 'configValues', 'dotEnv', 'paths', 'provider'].map((name) => `src/boot/${name}.ts`)),
  },
  { name: 'logging', holds: inFolder('logging') },
  { name: 'domain', holds: inFolder('oauth', 'nexmo', 'store', 'present') },
  { name: 'http', holds: (module) => inFolder('http')(module) && module !== 'src/http/app.ts' },
  { name: 'limits', holds: inFolder('limits') },
  { name: 'routes', holds: inFolder('routes') },
  { name: 'composition', holds: isModule('src/http/app.ts') },
  { name: 'startup', holds: isModule('src/boot/compose.ts', 'src/boot/server.ts') },
  { name: 'browser', holds: inFolder('browser') },
];

const graph = readImportGraph(projectRoot, 'src');

describe('the import graph of src/', () => {
  it('is read whole: every module, every import resolved to a file', () => {
    expect(graph.unresolved).toEqual([]);
    expect(graph.edges.size).toBeGreaterThan(80);
    // Known edges of each kind the scanner must see: a value import, a type-only import, a re-export.
    expect(graph.edges.get('src/routes/sms.ts')).toContain('src/nexmo/segments.ts');
    expect(graph.edges.get('src/routes/sms.ts')).toContain('src/nexmo/smsClient.ts');
    expect(graph.edges.get('src/boot/config.ts')).toContain('src/boot/configTypes.ts');
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
    expect(entries).toContain('src/browser/sms-counter.ts');
    const reached = [...reachableFrom(graph.edges, entries)].sort();
    expect(reached.filter((module) => !/^src\/(browser|nexmo|present|lib)\//.test(module))).toEqual([]);
    expect(reached.flatMap((module) => (graph.packages.get(module) ?? []).map((name) => `${module} -> ${name}`))).toEqual([]);
    expect(reached).toContain('src/present/money.ts');
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

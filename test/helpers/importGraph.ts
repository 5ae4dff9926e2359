/**
 * The app's import graph, read with the TypeScript compiler's own import scanner: every
 * `import`, `import type`, `export … from` and `import()` of every module under a folder,
 * resolved to the file it names. Relative specifiers only: packages are outside the graph and
 * are reported separately, so a spec can say which modules may use them.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportGraph {
  /** Module → the modules it imports, as paths relative to the project root (src/…/x.ts). */
  edges: Map<string, string[]>;
  /** Module → the packages and Node built-ins it imports. */
  packages: Map<string, string[]>;
  /** Imports that name no file there is. */
  unresolved: string[];
}

export function readImportGraph(projectRoot: string, folder: string): ImportGraph {
  const edges = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  const unresolved: string[] = [];
  const files = readdirSync(join(projectRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(folder, name));
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(projectRoot, file), 'utf8'), true, true);
    const local: string[] = [];
    const outside: string[] = [];
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) {
        outside.push(fileName);
        continue;
      }
      // NodeNext: sources name the compiled `.js`; the module is the `.ts` beside it.
      const target = relative(projectRoot, resolve(projectRoot, dirname(file), fileName)).replace(/\.js$/, '.ts');
      if (existsSync(join(projectRoot, target))) local.push(target);
      else unresolved.push(`${file} -> ${fileName}`);
    }
    edges.set(file, local);
    packages.set(file, outside);
  }
  return { edges, packages, unresolved };
}

/** Every cycle, once each, as the path that closes it (a -> b -> a). */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

/** A layer: its name and the modules in it (the first layer whose test matches a module). */
export interface Layer {
  name: string;
  holds(module: string): boolean;
}

/** The layer index of a module; throws for a module no layer holds, so a new folder must be placed. */
export function layerOf(layers: readonly Layer[], module: string): number {
  const index = layers.findIndex((layer) => layer.holds(module));
  if (index === -1) throw new Error(`no layer holds ${module}`);
  return index;
}

/** Imports from a higher layer than the importer's: `from (layer) -> to (layer)`. */
export function upwardImports(edges: ReadonlyMap<string, readonly string[]>, layers: readonly Layer[]): string[] {
  const found: string[] = [];
  for (const [from, targets] of edges) {
    const own = layerOf(layers, from);
    for (const to of targets) {
      const theirs = layerOf(layers, to);
      if (theirs > own) found.push(`${from} (${layers[own]!.name}) -> ${to} (${layers[theirs]!.name})`);
    }
  }
  return found.sort();
}

/** Every module reachable from `roots` by imports, the roots included. */
export function reachableFrom(edges: ReadonlyMap<string, readonly string[]>, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const node = queue.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    queue.push(...(edges.get(node) ?? []));
  }
  return seen;
}

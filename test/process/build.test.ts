// `npm start` builds before it runs: on an unchanged tree that build must compile nothing (a
// restart answers within a second or two), and a changed source must still be recompiled.
// The spec runs the real `npm run build` command with the real tsconfig files, on a copy of the
// built project in a temp folder, so it never touches the working tree's files or its dist/.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { projectRoot } from '../../src/config/paths.js';
import { requireBuild } from '../helpers/serverProcess.js';

const run = promisify(execFile);
const buildCommand = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build;

let copy: string;

async function build(): Promise<void> {
  await run('sh', ['-c', buildCommand], {
    cwd: copy,
    env: { PATH: `${join(copy, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
  });
}

/** Every file the build writes in the copy (dist/ folders, the browser build), with its modification time. */
function outputTimes(): Map<string, number> {
  const times = new Map<string, number>();
  for (const dist of ['dist', 'packages/sandbox/dist', 'public/js/app']) {
    for (const name of readdirSync(join(copy, dist), { recursive: true, encoding: 'utf8' })) {
      const path = join(dist, name);
      const stat = statSync(join(copy, path));
      if (stat.isFile()) times.set(path, stat.mtimeMs);
    }
  }
  return times;
}

beforeAll(async () => {
  requireBuild();
  copy = mkdtempSync(join(tmpdir(), 'build-'));
  // Modification times are kept (cpSync preserves them), so the copy is exactly as built.
  const parts = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.browser.json', 'src', 'dist', 'public/js', 'packages/sandbox/package.json', 'packages/sandbox/tsconfig.json', 'packages/sandbox/tsconfig.build.json', 'packages/sandbox/src', 'packages/sandbox/dist'];
  for (const part of parts) cpSync(join(projectRoot, part), join(copy, part), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(projectRoot, 'node_modules'), join(copy, 'node_modules'));
  // Whatever state the working tree's build was in, start from a completed build.
  await build();
}, 120_000);
afterAll(() => rmSync(copy, { recursive: true, force: true }));

// Each rebuild runs the real compilers (the sandbox, the app, the browser code): several seconds
// alone, far more on a machine busy with other work, so these get the room beforeAll has.
describe('npm run build', { timeout: 120_000 }, () => {
  it('compiles nothing when no source changed since the last build', async () => {
    const before = outputTimes();
    expect(before.has('dist/main/server.js')).toBe(true);
    expect(before.has('packages/sandbox/dist/index.js')).toBe(true);

    await build();

    expect(outputTimes()).toEqual(before);
  });

  it('recompiles a changed source of the app, and skips the unchanged sandbox package', async () => {
    const before = outputTimes();
    const source = join(copy, 'src/config/paths.ts');
    writeFileSync(source, `${readFileSync(source, 'utf8')}\nconst changedForTheBuildSpec = 'rebuilt';\nvoid changedForTheBuildSpec;\n`);

    await build();

    const after = outputTimes();
    expect(readFileSync(join(copy, 'dist/config/paths.js'), 'utf8')).toContain("changedForTheBuildSpec = 'rebuilt'");
    expect(after.get('dist/config/paths.js')).toBeGreaterThan(before.get('dist/config/paths.js') ?? Infinity);
    // The sandbox package did not change, so its build was skipped.
    for (const [path, time] of before) if (path.startsWith('packages/')) expect(after.get(path), path).toBe(time);
  });

  it('builds the browser code from the shared TypeScript modules, and rebuilds it when one changes', async () => {
    const before = outputTimes();
    // Each entry (the counter, the To preview, local times, the message page's and the
    // history's live statuses, the busy button, the sent form, the error summary, the notice's
    // address, the room board) and every module it imports are there, as browser ES modules.
    expect([...before.keys()].filter((path) => path.startsWith('public/js/app/')).sort()).toEqual(
      [
        'browser/busy-submit.js',
        'browser/drafts.js',
        'browser/error-summary.js',
        'browser/history-status.js',
        'browser/local-time.js',
        'browser/markup.js',
        'browser/message-status.js',
        'browser/notice-once.js',
        'browser/number-preview.js',
        'browser/parts-table.js',
        'browser/poll.js',
        'browser/room-board.js',
        'browser/sent-form.js',
        'browser/sms-counter.js',
        'browser/sms-draft.js',
        'browser/times.js',
        'lib/sendId.js',
        'nexmo/money.js',
        'nexmo/receipts.js',
        'nexmo/segments.js',
        'present/dates.js',
        'present/markup.js',
        'present/money.js',
        'present/partGroups.js',
        'present/plural.js',
        'present/receiptCell.js',
        'present/receiptTimes.js',
        'present/room.js',
        'present/smsCounter.js',
        'present/unicodeHints.js',
      ].map((name) => `public/js/app/${name}`),
    );
    expect(readFileSync(join(copy, 'public/js/app/browser/sms-counter.js'), 'utf8')).toContain("from '../present/smsCounter.js'");
    const source = join(copy, 'src/present/money.ts');
    writeFileSync(source, `${readFileSync(source, 'utf8')}\nexport const changedForTheBuildSpec = 'rebuilt';\n`);

    await build();

    expect(readFileSync(join(copy, 'public/js/app/present/money.js'), 'utf8')).toContain("changedForTheBuildSpec = 'rebuilt'");
    expect(outputTimes().get('public/js/app/present/money.js')).toBeGreaterThan(before.get('public/js/app/present/money.js') ?? Infinity);
  });

  it('rebuilds the sandbox package when one of its sources changed', async () => {
    const before = outputTimes();
    const source = join(copy, 'packages/sandbox/src/index.ts');
    writeFileSync(source, `${readFileSync(source, 'utf8')}\nexport const changedForTheBuildSpec = 'rebuilt';\n`);

    await build();

    expect(readFileSync(join(copy, 'packages/sandbox/dist/index.js'), 'utf8')).toContain("changedForTheBuildSpec = 'rebuilt'");
    expect(outputTimes().get('packages/sandbox/dist/index.d.ts')).toBeGreaterThan(before.get('packages/sandbox/dist/index.d.ts') ?? Infinity);
  });
});

describe('the scripts the pages load', () => {
  it('are all compiled from src/browser/ as ES modules, and public/js/ holds nothing but that build', () => {
    const views = readdirSync(join(projectRoot, 'views'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ejs'));
    const tags = views.flatMap((name) => [...readFileSync(join(projectRoot, 'views', name), 'utf8').matchAll(/<script\b[^>]*>/g)].map((match) => match[0]));
    expect(tags.length).toBeGreaterThan(5);
    const sources = [...new Set(tags.map((tag) => /^<script type="module" src="(\/js\/app\/browser\/[a-z-]+\.js)">$/.exec(tag)?.[1] ?? tag))].sort();
    for (const src of sources) {
      expect(src, 'a <script type="module" src="/js/app/browser/…"> tag').toMatch(/^\/js\/app\/browser\//);
      expect(existsSync(join(projectRoot, 'src/browser', `${basename(src, '.js')}.ts`)), `the source of ${src}`).toBe(true);
      expect(existsSync(join(copy, 'public', src)), `${src}, built`).toBe(true);
    }
    expect(sources).toContain('/js/app/browser/message-status.js');
    expect(readdirSync(join(projectRoot, 'public/js'))).toEqual(['app']);
  });
});

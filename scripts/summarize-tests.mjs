// Prints the one closing line CI reads ("N passed, N failed") from vitest's JSON report.
// A run that executed no test counts as a failure.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file || !existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
  console.log('0 passed, 1 failed');
  console.error('No test report was written: the run stopped before the tests (see the output above).');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const passed = report.numPassedTests ?? 0;
// A file that failed without a failing test counts as one failure too: it did not load, or a
// hook such as beforeAll threw and its tests were skipped. A broken file can't hide its tests.
const failedSuites = (report.testResults ?? []).filter((r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed')).length;
const failed = (report.numFailedTests ?? 0) + failedSuites;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

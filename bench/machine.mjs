// The machine the bench runs on: which commands exist, core pinning (taskset), and a process's
// CPU time from /proc.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export const onPath = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
export const cores = cpus().length;
export const canPin = process.platform === 'linux' && cores >= 2 && onPath('taskset');
/** System under test on core 0; the loader (this process), the provider and Redis on core 1. */
export const SUT_CORE = '0';
export const LOADER_CORE = '1';
export function pin(pid, core) {
  if (canPin) execFileSync('taskset', ['-a', '-cp', core, String(pid)], { stdio: 'ignore' });
}
/** Why processes are not pinned, when they are not. */
export const pinningNote = canPin ? undefined : cores < 2 ? 'Only one core: the system under test and the loader share it (no pinning).' : 'taskset not available: processes are not pinned to cores.';

let clockTicks = 100;
try {
  clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {}
/** utime + stime of a process, in milliseconds (Linux /proc). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 (state) is index 0; utime is field 14, stime 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

// Makes sure a Chromium for the browser tests is on this machine, without downloading a browser
// build: it uses CHROMIUM_PATH or /usr/bin/chromium, and on Debian as root installs the
// distribution's package. Anywhere else it stops with a message saying what to install.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wanted = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (existsSync(wanted)) process.exit(0);
if (process.env.CHROMIUM_PATH) {
  fail(`CHROMIUM_PATH is set to ${wanted}, but there is no file there.`);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log('Chromium is missing: installing Debian\'s "chromium" package for the browser tests…');
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], { stdio: 'inherit', env });
  } catch {
    fail('installing Chromium with apt-get failed (see above).');
  }
  if (existsSync(wanted)) process.exit(0);
  fail('apt-get finished but /usr/bin/chromium is still missing.');
}

fail('install Chromium (Debian/Ubuntu: "sudo apt-get install chromium") or set CHROMIUM_PATH to a Chromium or Chrome binary.');

function fail(reason) {
  console.error(`The browser tests need Chromium: ${reason}`);
  process.exit(1);
}

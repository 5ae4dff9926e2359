// Makes sure the system tools the tests need are on this machine, without downloading anything
// but distribution packages:
// - Chromium for the browser tests: CHROMIUM_PATH or /usr/bin/chromium;
// - redis-server for the storage tests (two instances sharing one Redis; Redis stopped and started
//   again): REDIS_SERVER or /usr/bin/redis-server; the tests start their own on a free port;
// - PHP with the PECL OAuth extension, and requests-oauthlib for /usr/bin/python3, for the
//   interoperability tests (third-party OAuth 1.0a clients against the sandbox). INTEROP_PHP and
//   INTEROP_PYTHON name other interpreters.
// On Debian as root it installs the missing ones from the distribution's packages (one
// `apt-get update`, one `apt-get install`). Anywhere else it stops with a message saying what to
// install. When everything is present it only runs two quick checks.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const php = process.env.INTEROP_PHP || 'php';
const python = process.env.INTEROP_PYTHON || '/usr/bin/python3';
const redisServer = process.env.REDIS_SERVER || '/usr/bin/redis-server';

const tools = [
  {
    name: 'Chromium',
    present: () => existsSync(chromium),
    packages: ['chromium', 'fonts-dejavu-core'],
    installing: 'Chromium is missing: installing Debian\'s "chromium" package for the browser tests…',
    // Only the default path is Debian's to fill; a CHROMIUM_PATH pointing nowhere is a mistake.
    installable: () => !process.env.CHROMIUM_PATH,
    failure: (reason) => `The browser tests need Chromium: ${reason}`,
    hint: 'install Chromium (Debian/Ubuntu: "sudo apt-get install chromium") or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    notInstallable: () => `CHROMIUM_PATH is set to ${chromium}, but there is no file there.`,
    stillMissing: 'apt-get finished but /usr/bin/chromium is still missing.',
  },
  {
    name: 'PHP with the OAuth extension',
    present: () => runs(php, ['-r', 'exit(extension_loaded("oauth") ? 0 : 1);']),
    // php-cli only when there is no PHP at all; php-oauth adds the extension to Debian's PHP.
    packages: () => (runs(php, ['-v']) ? ['php-oauth'] : ['php-cli', 'php-oauth']),
    installing: 'PHP with the PECL OAuth extension is missing: installing Debian\'s "php-cli" and "php-oauth" packages for the interoperability tests…',
    installable: () => !process.env.INTEROP_PHP,
    failure: (reason) => `The interoperability tests need PHP with the PECL OAuth extension: ${reason}`,
    hint: 'install it (Debian/Ubuntu: "sudo apt-get install php-cli php-oauth"; elsewhere "pecl install oauth" and enable it in php.ini), or set INTEROP_PHP to a PHP binary that has it.',
    notInstallable: () => `INTEROP_PHP is set to ${php}, which does not run or has no "oauth" extension.`,
    stillMissing: `apt-get finished but "${php}" still cannot load the "oauth" extension.`,
  },
  {
    name: 'requests-oauthlib',
    present: () => runs(python, ['-c', 'import requests_oauthlib']),
    packages: ['python3-requests-oauthlib'],
    installing: 'requests-oauthlib is missing: installing Debian\'s "python3-requests-oauthlib" package for the interoperability tests…',
    installable: () => !process.env.INTEROP_PYTHON,
    failure: (reason) => `The interoperability tests need requests-oauthlib for ${python}: ${reason}`,
    hint: 'install it (Debian/Ubuntu: "sudo apt-get install python3-requests-oauthlib"; elsewhere "python3 -m pip install requests-oauthlib"), or set INTEROP_PYTHON to a Python 3 that has it.',
    notInstallable: () => `INTEROP_PYTHON is set to ${python}, which does not run or cannot import requests_oauthlib.`,
    stillMissing: `apt-get finished but ${python} still cannot import requests_oauthlib.`,
  },
  {
    name: 'redis-server',
    present: () => runs(redisServer, ['--version']),
    packages: ['redis-server'],
    installing: 'redis-server is missing: installing Debian\'s "redis-server" package for the storage tests…',
    installable: () => !process.env.REDIS_SERVER,
    failure: (reason) => `The storage tests need redis-server: ${reason}`,
    hint: 'install it (Debian/Ubuntu: "sudo apt-get install redis-server"; macOS: "brew install redis"), or set REDIS_SERVER to a redis-server binary.',
    notInstallable: () => `REDIS_SERVER is set to ${redisServer}, which does not run.`,
    stillMissing: 'apt-get finished but /usr/bin/redis-server still does not run.',
  },
];

const missing = tools.filter((tool) => !tool.present());
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get') || missing.some((tool) => !tool.installable())) {
  failAll(missing.map((tool) => tool.failure(tool.installable() ? tool.hint : tool.notInstallable())));
}

const packages = [];
for (const tool of missing) {
  console.log(tool.installing);
  const wanted = typeof tool.packages === 'function' ? tool.packages() : tool.packages;
  for (const name of wanted) if (!packages.includes(name)) packages.push(name);
}
try {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
} catch {
  failAll(missing.map((tool) => tool.failure(`installing ${packages.join(' ')} with apt-get failed (see above).`)));
}

const stillMissing = missing.filter((tool) => !tool.present());
if (stillMissing.length > 0) failAll(stillMissing.map((tool) => tool.failure(tool.stillMissing)));

/** True when the command starts and exits with status 0. */
function runs(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  return result.error === undefined && result.status === 0;
}

function failAll(lines) {
  for (const line of lines) console.error(line);
  process.exit(1);
}

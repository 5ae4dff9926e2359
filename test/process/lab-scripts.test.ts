// The lab's downloadable scripts do the whole dance for real: run as their own processes, against
// the sandbox running alone (as `npm run sandbox` runs it), with a person's part played here: the
// authorize page opened, Authorize pressed, the verifier the page shows typed back in.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

import { startStandalone, type RunningSandbox } from '@nexmo-oauth/sandbox/standalone';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

import { projectRoot } from '../../src/config/paths.js';
import { formFor, pageOf, textOf } from '../helpers/html.js';
import { pathOf } from '../helpers/login.js';

const KEY = 'lab-script-key';
const SECRET = 'lab-script-secret-never-printed';

let sandbox: RunningSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/**
 * Runs `command` with the sandbox's URLs and credentials, answers its "Verifier:" prompt by
 * approving the authorize URL it prints, and resolves with everything it printed and its exit code.
 */
function runDance(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const running = sandbox!;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH ?? '',
        NEXMO_CONSUMER_KEY: KEY,
        NEXMO_CONSUMER_SECRET: SECRET,
        NEXMO_OAUTH_URL: `${running.baseUrl}/oauth/`,
        NEXMO_REST_URL: running.baseUrl,
        SMS_TO: '447700900123',
        SMS_TEXT: `Sent by ${command}`,
      },
    });
    let output = '';
    let answered = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /(http:\/\/\S+\/oauth\/authorize\?oauth_token=\S+)/.exec(output)?.[1];
      if (url && !answered && output.includes('Verifier:')) {
        answered = true;
        approve(url).then((verifier) => child.stdin.end(`${verifier}\n`), reject);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

/** A person on the sandbox's consent page: Authorize, then the verifier the page shows for "oob". */
async function approve(authorizeUrl: string): Promise<string> {
  const browser = supertest.agent(sandbox!.baseUrl);
  const consent = await browser.get(pathOf(authorizeUrl));
  expect(consent.status).toBe(200);
  const { action, fields } = formFor(consent.text, /^Authorize/);
  const shown = await browser.post(pathOf(new URL(action, authorizeUrl).toString())).set('Sec-Fetch-Site', 'same-origin').type('form').send(fields);
  expect(shown.status).toBe(200);
  return textOf(pageOf(shown.text).querySelector('.nxs-code code')!);
}

describe('the lab’s scripts', () => {
  it.each([
    ['Node, with the oauth package', process.execPath, [resolve(projectRoot, 'public/lab/oauth-dance.mjs')]],
    ['Python, with requests-oauthlib', process.env.INTEROP_PYTHON || '/usr/bin/python3', [resolve(projectRoot, 'public/lab/oauth_dance.py')]],
  ])('%s: request token, approval, access token and a signed SMS the sandbox delivers', async (_name, command, args) => {
    sandbox = await startStandalone({ port: 0, host: '127.0.0.1', consumerKey: KEY, consumerSecret: SECRET }, () => {});
    const { code, output } = await runDance(command, args);
    expect(code, output).toBe(0);
    expect(output).toMatch(/Connected as [a-z0-9-]+\./);
    const reply = JSON.parse(output.slice(output.lastIndexOf('{"message-count"'))) as { messages: Array<{ status: string }> };
    expect(reply.messages[0]!.status).toBe('0');
    expect(output).not.toContain(SECRET);
    const outbox = await sandbox.sandbox.outbox();
    expect(outbox.map((sms) => [sms.to, sms.text])).toEqual([['447700900123', `Sent by ${command}`]]);
  });
});

/**
 * Third-party OAuth 1.0a clients against the standalone sandbox: the PECL OAuth extension (as
 * Nexmo's PHP sample used it) and requests-oauthlib, each running the whole flow in its own
 * process. Proves the sandbox speaks RFC 5849 as others do, not just as this app's consumer does.
 *
 * The tools come from the system (`node scripts/ensure-test-tools.mjs` at the repository root,
 * which the root `npm test` runs first). When one is missing the test fails with what to install: a skipped interoperability
 * test would look like a passing one.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone } from '../../src/standalone.js';
import type { RunningSandbox } from '../../src/standalone.js';

const here = dirname(fileURLToPath(import.meta.url));

const CONSUMER_KEY = 'interop-key';
const CONSUMER_SECRET = 'interop-secret';
/** Non-ASCII, an astral emoji, every character a percent-encoder tends to get wrong, a newline. */
const TEXT = "Grüße !*'()&=+ \"q\" 🎉\nline2";
const START_BALANCE = '10.00000000';

interface Reply {
  status: number | null;
  body: string;
  parsed: unknown;
}

interface SmsPart {
  status?: string;
  'message-id'?: string;
  'remaining-balance'?: string;
  'error-text'?: string;
}

interface FlowResult {
  client: string;
  text: string;
  error?: string;
  request_token?: { oauth_callback_confirmed: string | null; has_token: boolean };
  consent?: {
    page_status: number;
    hidden_fields: string[];
    decision_status: number;
    location: string;
    callback_kept: boolean;
    token_matches: boolean;
    has_verifier: boolean;
  };
  access_token?: { has_token: boolean; username: string | null };
  replay?: Reply;
  balance_before?: Reply;
  sms?: Reply;
  balance_after?: Reply;
}

interface Client {
  name: string;
  /** The sender each script uses, to find its message in the outbox. */
  from: string;
  /** The sandbox account it signs in as, so each starts with a full balance of its own. */
  account: string;
  command: string;
  args: string[];
  /** Exits 0 when the tool is usable. */
  check: string[];
  missing: string;
}

const php = process.env['INTEROP_PHP'] || 'php';
const python = process.env['INTEROP_PYTHON'] || '/usr/bin/python3';
const INSTALL = 'Run "node scripts/ensure-test-tools.mjs" at the repository root (on Debian as root it installs what is missing; the root "npm test" runs it first)';

const clients: Client[] = [
  {
    name: 'PECL OAuth (PHP)',
    from: 'PECLOAuth',
    account: 'interop-php',
    command: php,
    args: [resolve(here, 'pecl-oauth.php')],
    check: ['-r', 'exit(extension_loaded("oauth") ? 0 : 1);'],
    missing: `PHP with the PECL OAuth extension is not available as "${php}". ${INSTALL}, or install it yourself: Debian/Ubuntu "sudo apt-get install php-cli php-oauth", elsewhere "pecl install oauth"; INTEROP_PHP names another PHP binary.`,
  },
  {
    name: 'requests-oauthlib (Python)',
    from: 'ReqOAuthlib',
    account: 'interop-python',
    command: python,
    args: [resolve(here, 'requests_oauthlib_flow.py')],
    check: ['-c', 'import requests_oauthlib'],
    missing: `requests-oauthlib cannot be imported by ${python}. ${INSTALL}, or install it yourself: Debian/Ubuntu "sudo apt-get install python3-requests-oauthlib", elsewhere "python3 -m pip install requests-oauthlib"; INTEROP_PYTHON names another Python 3.`,
  },
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  error: Error | null;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { env, timeout: 15_000, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ code, stdout, stderr, error });
    });
  });
}

/** The number in `{"value":9.96670000,...}`, as written (8 decimals). */
function balanceAsWritten(reply: Reply | undefined): string | undefined {
  return /"value":(\d+\.\d+)/.exec(reply?.body ?? '')?.[1];
}

describe('third-party OAuth 1.0a clients against the standalone sandbox', () => {
  let running: RunningSandbox;
  const log: string[] = [];

  beforeAll(async () => {
    running = await startStandalone(
      { port: 0, host: '127.0.0.1', consumerKey: CONSUMER_KEY, consumerSecret: CONSUMER_SECRET },
      (line) => log.push(line),
    );
  });

  afterAll(async () => {
    await running?.close();
  });

  for (const client of clients) {
    it(`${client.name} completes the whole flow, sends the SMS intact and cannot replay its request token`, async () => {
      const probe = await run(client.command, client.check);
      if (probe.code !== 0) throw new Error(client.missing);

      // The base URL names 127.0.0.1, the host the clients connect to and therefore sign for.
      expect(running.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const logStart = log.length;
      const outcome = await run(client.command, [...client.args, running.baseUrl, CONSUMER_KEY, CONSUMER_SECRET], {
        ...process.env,
        SMS_TEXT: TEXT,
        SANDBOX_ACCOUNT: client.account,
      });
      const context = `${client.name} exited with ${outcome.code}\nstdout: ${outcome.stdout}\nstderr: ${outcome.stderr}\nsandbox log:\n${log.join('\n')}`;
      expect(outcome.code, context).toBe(0);
      const lastLine = outcome.stdout.trim().split('\n').pop() ?? '';
      const result = JSON.parse(lastLine) as FlowResult;
      expect(result.error, context).toBeUndefined();
      expect(result.text).toBe(TEXT);

      // Request token with a callback (§2.1), confirmed as 1.0a requires.
      expect(result.request_token).toMatchObject({ oauth_callback_confirmed: 'true', has_token: true });

      // Consent: the page carries the token, the consent nonce and the account name it suggested;
      // Authorize sends the user back to the callback, its own query kept, with the same token
      // and a verifier (§2.2).
      expect(result.consent).toMatchObject({
        page_status: 200,
        decision_status: 302,
        callback_kept: true,
        token_matches: true,
        has_verifier: true,
      });
      expect([...(result.consent?.hidden_fields ?? [])].sort()).toEqual(['account_name_shown', 'consent_nonce', 'oauth_token']);

      // Access token (§2.3).
      // The account typed on the consent page, not a fresh one of its own.
      expect(result.access_token).toMatchObject({ has_token: true, username: client.account });

      // The request token is single-use: the second exchange is refused.
      expect(result.replay?.status, context).toBe(401);
      expect(result.replay?.parsed).toMatchObject({ oauth_problem: 'token_used' });

      // The SMS: every part accepted.
      expect(result.sms?.status, context).toBe(200);
      const sms = result.sms?.parsed as { 'message-count': string; messages: SmsPart[] };
      expect(sms.messages.length).toBeGreaterThan(0);
      expect(sms['message-count']).toBe(String(sms.messages.length));
      for (const part of sms.messages) expect(part.status, JSON.stringify(part)).toBe('0');

      // ...and the text arrived byte for byte.
      const ids = sms.messages.map((m) => m['message-id']);
      const delivered = (await running.sandbox.outbox()).find((entry) => entry.messageIds.includes(ids[0] as string));
      expect(delivered, 'message not in the outbox').toBeDefined();
      expect(delivered?.from).toBe(client.from);
      expect(delivered?.account).toBe(client.account);
      expect(delivered?.messageIds).toEqual(ids);
      expect(delivered?.parts).toBe(sms.messages.length);
      expect(delivered?.text).toBe(TEXT);
      expect(Buffer.from(delivered?.text ?? '', 'utf8').equals(Buffer.from(TEXT, 'utf8'))).toBe(true);

      // The balance, signed GET: full before, charged for every part after.
      expect(result.balance_before?.status, context).toBe(200);
      expect(result.balance_after?.status, context).toBe(200);
      expect(balanceAsWritten(result.balance_before)).toBe(START_BALANCE);
      const after = balanceAsWritten(result.balance_after);
      expect(after).toBe(sms.messages.at(-1)?.['remaining-balance']);
      expect(Number(after)).toBeLessThan(Number(START_BALANCE));

      // Nothing else was refused along the way: each signature was right the first time.
      const refusals = log.slice(logStart).filter((line) => line.includes(' refused: '));
      expect(refusals, context).toHaveLength(1);
      expect(refusals[0]).toMatch(/\/oauth\/access_token refused: token_used$/);
    });
  }
});

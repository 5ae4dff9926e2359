import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

/** How the scripted provider answers one call; `hang` never answers. */
export type Script = { status: number; body: string; contentType?: string; headers?: Record<string, string>; noDate?: boolean; delayMs?: number } | 'hang';

/**
 * A stand-in for Nexmo's REST API whose every answer the test decides, so provider faults
 * (5xx, 429, garbage, silence) can be produced on demand. It records what reached it.
 */
export async function startScriptedRest() {
  const calls: RecordedCall[] = [];
  let sms: Script = { status: 500, body: 'not scripted' };
  let balance: Script = { status: 200, body: '{"value": 12.5, "autoReload": false}', contentType: 'application/json' };
  let other: Script = { status: 404, body: 'no such endpoint' };
  const byPath = new Map<string, Script>();
  const hanging = new Set<ServerResponse>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      calls.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
      const script = byPath.get(path) ?? (path === '/sms/json' ? sms : path === '/account/get-balance' ? balance : other);
      if (script === 'hang') {
        hanging.add(res);
        return;
      }
      const answer = () => {
        // A provider with no clock to tell: Node adds a Date header unless told not to.
        res.sendDate = !script.noDate;
        res.writeHead(script.status, { 'Content-Type': script.contentType ?? 'text/plain', ...script.headers });
        res.end(script.body);
      };
      if (script.delayMs) setTimeout(answer, script.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    calls,
    smsCalls: () => calls.filter((c) => c.path === '/sms/json'),
    answerSms(script: Script) {
      sms = script;
    },
    answerBalance(script: Script) {
      balance = script;
    },
    /** One path, e.g. /oauth/request_token when the test points NEXMO_OAUTH_URL here. */
    answerPath(path: string, script: Script) {
      byPath.set(path, script);
    },
    /** Any other path, e.g. OAuth endpoints when the test points NEXMO_OAUTH_URL here. */
    answerOther(script: Script) {
      other = script;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const json = (value: unknown): Script => ({ status: 200, body: JSON.stringify(value), contentType: 'application/json' });

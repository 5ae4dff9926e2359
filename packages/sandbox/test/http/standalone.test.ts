import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { startStandalone } from '../../src/standalone.js';
import { authorizationHeader, parseForm, signRequest } from '../helpers/sandboxClient.js';

describe('standalone sandbox', () => {
  it('prints its credentials and endpoints, serves signed requests at the root, and closes', async () => {
    const lines: string[] = [];
    const running = await startStandalone({ port: 0, host: '127.0.0.1', consumerKey: 'demo-key', consumerSecret: 'demo-secret' }, (l) => lines.push(l));
    try {
      const printed = lines.join('\n');
      expect(printed).toContain('consumer key:     demo-key');
      expect(printed).toContain('consumer secret:  demo-secret');
      expect(printed).toContain(`POST ${running.baseUrl}/oauth/request_token`);
      expect(printed).toContain(`POST ${running.baseUrl}/sms/json`);

      const oauth = signRequest({ consumerKey: 'demo-key', consumerSecret: 'demo-secret', method: 'POST', url: `${running.baseUrl}/oauth/request_token`, oauth: { oauth_callback: 'oob' } });
      const res = await supertest(running.baseUrl).post('/oauth/request_token').set('Authorization', authorizationHeader(oauth));
      expect(res.status).toBe(200);
      expect(parseForm(res.text)['oauth_callback_confirmed']).toBe('true');
      // The log line names the event, never the token or secret it issued.
      const token = parseForm(res.text)['oauth_token'] as string;
      expect(lines.some((l) => l.includes('request token issued'))).toBe(true);
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await running.close();
    }
  });
});

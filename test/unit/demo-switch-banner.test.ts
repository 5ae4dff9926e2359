// The banner middleware on a throwaway app: which requests ask the sandbox for switches, and
// what a page is given.
import express from 'express';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import type { ActiveSwitch } from '@nexmo-oauth/sandbox';
import { demoSwitchBanner } from '../../src/http/demoSwitches.js';
import { silentLogger } from '../../src/logging/logger.js';

const CLOCK: ActiveSwitch = { kind: 'clock-off', label: 'This app’s clock counts as 10 minutes off', path: '/controls#clock-title' };

function appWith(switchesFor: ((account: string) => Promise<ActiveSwitch[]>) | undefined, connection?: { extra: Record<string, string> }) {
  const asked: string[] = [];
  const app = express();
  app.use((req, _res, next) => {
    Object.assign(req, { log: silentLogger, session: connection ? { connection } : {} });
    next();
  });
  app.use(demoSwitchBanner(switchesFor && ((account) => (asked.push(account), switchesFor(account))), '/sandbox'));
  app.all('/{*path}', (_req, res) => res.json(res.locals.demoSwitches ?? null));
  return { app, asked };
}

describe('the demo switch banner', () => {
  it('gives a connected person’s pages their own account’s switches, linked under the sandbox’s mount', async () => {
    const { app, asked } = appWith(async () => [CLOCK], { extra: { username: 'presenter' } });
    const res = await supertest(app).get('/sms');
    expect(res.body).toEqual({ account: 'presenter', switches: [{ label: CLOCK.label, href: '/sandbox/controls#clock-title' }] });
    expect(asked).toEqual(['presenter']);
  });

  it('asks nothing for a visitor, a form post, a status poll, or outside sandbox mode', async () => {
    const connected = { extra: { username: 'presenter' } };
    const visitor = appWith(async () => [CLOCK]);
    expect((await supertest(visitor.app).get('/')).body).toBeNull();
    const posts = appWith(async () => [CLOCK], connected);
    expect((await supertest(posts.app).post('/sms')).body).toBeNull();
    expect((await supertest(posts.app).get('/messages/status.json')).body).toBeNull();
    expect([...visitor.asked, ...posts.asked]).toEqual([]);
    expect((await supertest(appWith(undefined, connected).app).get('/')).body).toBeNull();
  });

  it('shows nothing when nothing is on, and loses only the banner when the store cannot answer', async () => {
    expect((await supertest(appWith(async () => [], { extra: { username: 'presenter' } }).app).get('/')).body).toBeNull();
    const failing = appWith(async () => Promise.reject(new Error('store down')), { extra: { username: 'presenter' } });
    const res = await supertest(failing.app).get('/');
    expect(res.status).toBe(200);
    expect(res.body).toBeNull();
  });
});

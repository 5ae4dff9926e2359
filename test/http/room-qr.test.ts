// The room's QR code as the server wires it: the Network URLs are asked for at the port the
// app really listens on, as the start-up log prints them. What the home page shows of them:
// test/routes/room-qr.
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';

import { pageOf } from '../helpers/html.js';
import { useTestApp } from '../helpers/testApp.js';

const startTestApp = useTestApp();

describe('the QR code for the room on the home page', () => {
  it('shows the Network URL at the port the app listens on, asked for that port', async () => {
    const asked: number[] = [];
    const app = await startTestApp({}, { networkUrls: (port) => (asked.push(port), [`http://192.168.1.20:${port}`]) });
    const port = Number(new URL(app.url).port);

    const page = await supertest(app.url).get('/').set('Host', `localhost:${port}`);

    expect(page.status).toBe(200);
    expect(pageOf(page.text).querySelector('section.room-invite .room-url a')?.getAttribute('href')).toBe(`http://192.168.1.20:${port}/`);
    // Asked for the port the app listens on, as the start-up log prints it.
    expect(asked).toEqual([port]);
  });
});

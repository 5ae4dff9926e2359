// The presenter's home page shows the Network URL as a QR code, so the room joins without
// typing an address; nobody else sees it.
import QRCode from 'qrcode';
import supertest from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

import { startTestApp, type TestApp } from '../helpers/testApp.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const portOf = (app: TestApp) => Number(new URL(app.url).port);
/** The "Invite the room" card, or undefined when the page has none. */
const roomCard = (html: string) => /<section class="card room-invite"[\s\S]*?<\/section>/.exec(html)?.[0];

describe('the QR code for the room on the home page', () => {
  it('shows the Network URL as an inline SVG QR code, and as text, to the presenter on localhost', async () => {
    const asked: number[] = [];
    app = await startTestApp({}, { networkUrls: (port) => (asked.push(port), [`http://192.168.1.20:${port}`]) });
    const url = `http://192.168.1.20:${portOf(app)}/`;

    const page = await supertest(app.url).get('/').set('Host', `localhost:${portOf(app)}`);

    expect(page.status).toBe(200);
    const card = roomCard(page.text);
    expect(card).toBeDefined();
    expect(card).toContain(`<a href="${url}">${url}</a>`);
    expect(card).toContain(`aria-label="QR code for ${url}"`);
    // The picture is the QR code of that very URL, drawn on the server.
    const svg = /<svg[\s\S]*?<\/svg>/.exec(card ?? '')?.[0];
    expect(svg).toBe((await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })).trim());
    // Nothing the Content-Security-Policy (no inline script or style) would refuse.
    expect(svg).not.toMatch(/<script|style=|on\w+=/i);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    // Asked for the port the app listens on, as the start-up log prints it.
    expect(asked).toEqual([portOf(app)]);
  });

  it('shows it on any loopback address, and prefers an IPv4 address a phone can reach', async () => {
    app = await startTestApp({}, { networkUrls: (port) => [`http://[fd00::2]:${port}`, `http://10.0.0.7:${port}`] });

    const page = await supertest(app.url).get('/').set('Host', `127.0.0.1:${portOf(app)}`);

    expect(page.status).toBe(200);
    expect(roomCard(page.text)).toContain(`http://10.0.0.7:${portOf(app)}/`);
    expect(roomCard(page.text)).not.toContain('fd00::2');
  });

  it('is not shown to someone who opened the app through its Network address', async () => {
    app = await startTestApp({ ALLOWED_HOSTS: '192.168.1.20' }, { networkUrls: (port) => [`http://192.168.1.20:${port}`] });

    const page = await supertest(app.url).get('/').set('Host', `192.168.1.20:${portOf(app)}`);

    expect(page.status).toBe(200);
    expect(page.text).toContain('Connect with Nexmo');
    expect(roomCard(page.text)).toBeUndefined();
    expect(page.text).not.toContain('<svg');
    expect(page.text).not.toContain('192.168.1.20');
  });

  it('is not shown when the machine has no network address', async () => {
    app = await startTestApp({}, { networkUrls: () => [] });

    const page = await supertest(app.url).get('/').set('Host', `localhost:${portOf(app)}`);

    expect(page.status).toBe(200);
    expect(page.text).toContain('Connect with Nexmo');
    expect(roomCard(page.text)).toBeUndefined();
    expect(page.text).not.toContain('<svg');
  });

  it('is not shown when PUBLIC_URL names the one address everybody uses', async () => {
    let asked = false;
    app = await startTestApp({ PUBLIC_URL: 'http://sms.example.test:3999' }, { networkUrls: (port) => ((asked = true), [`http://192.168.1.20:${port}`]) });

    const page = await supertest(app.server).get('/').set('Host', 'localhost:3999');

    expect(page.status).toBe(200);
    expect(page.text).toContain('Connect with Nexmo');
    expect(roomCard(page.text)).toBeUndefined();
    expect(asked).toBe(false);
  });

  it('is still shown when PUBLIC_URL is a loopback name, which only the presenter can open', async () => {
    let bound = 0;
    app = await startTestApp({ PUBLIC_URL: 'http://localhost:3999' }, { networkUrls: (port) => ((bound = port), [`http://192.168.1.20:${port}`]) });

    const page = await supertest(app.server).get('/').set('Host', 'localhost:3999');

    expect(page.status).toBe(200);
    expect(roomCard(page.text)).toContain(`http://192.168.1.20:${bound}/`);
  });
});

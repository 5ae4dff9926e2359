// The presenter's home page shows the Network URL as a QR code, so the room joins without
// typing an address; nobody else sees it. The home route in the app, told the machine's
// Network URLs; that they are asked for at the port the server listens on: test/http/room-qr.
// In sandbox mode the same card links the room board.
import type { ActiveSwitch } from '@nexmo-oauth/sandbox';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';

import { elementOf, linksIn, textOf } from '../helpers/html.js';
import { useRouteApp } from '../helpers/routeApp.js';

const createRouteApp = useRouteApp();

/** The "Invite the room" card as the page has it, or undefined when the page has none. */
const roomCard = (html: string) => /<section class="card room-invite"[\s\S]*?<\/section>/.exec(html)?.[0];

describe('the QR code for the room on the home page', () => {
  it('shows the Network URL as an inline SVG QR code, and as text, to the presenter on localhost', async () => {
    const route = createRouteApp({ PUBLIC_URL: '' }, { networkUrls: () => ['http://192.168.1.20:3000'] });
    const url = 'http://192.168.1.20:3000/';

    const page = await route.browser().get('/').set('Host', 'localhost:3000');

    expect(page.status).toBe(200);
    const card = roomCard(page.text);
    expect(card).toBeDefined();
    expect(linksIn(card!)).toContainEqual({ href: url, text: url });
    expect(elementOf(card!, '[role="img"]').getAttribute('aria-label')).toBe(`QR code for ${url}`);
    // The picture is the QR code of that very URL, drawn on the server.
    const svg = /<svg[\s\S]*?<\/svg>/.exec(card!)?.[0];
    expect(svg).toBe((await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })).trim());
    // Nothing the Content-Security-Policy (no inline script or style) would refuse.
    expect(svg).not.toMatch(/<script|style=|on\w+=/i);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('shows it on any loopback address, and prefers an IPv4 address a phone can reach', async () => {
    const route = createRouteApp({ PUBLIC_URL: '' }, { networkUrls: () => ['http://[fd00::2]:3000', 'http://10.0.0.7:3000'] });

    const page = await route.browser().get('/').set('Host', '127.0.0.1:3000');

    expect(page.status).toBe(200);
    expect(roomCard(page.text)).toContain('http://10.0.0.7:3000/');
    expect(roomCard(page.text)).not.toContain('fd00::2');
  });

  it('is not shown to someone who opened the app through its Network address', async () => {
    const route = createRouteApp({ PUBLIC_URL: '', ALLOWED_HOSTS: '192.168.1.20' }, { networkUrls: () => ['http://192.168.1.20:3000'] });

    const page = await route.browser().get('/').set('Host', '192.168.1.20:3000');

    expect(page.status).toBe(200);
    expect(page.text).toContain('Connect with Nexmo');
    expect(roomCard(page.text)).toBeUndefined();
    expect(page.text).not.toContain('<svg');
    expect(page.text).not.toContain('192.168.1.20');
  });

  it('is not shown when the machine has no network address', async () => {
    const route = createRouteApp({ PUBLIC_URL: '' }, { networkUrls: () => [] });

    const page = await route.browser().get('/').set('Host', 'localhost:3000');

    expect(page.status).toBe(200);
    expect(page.text).toContain('Connect with Nexmo');
    expect(roomCard(page.text)).toBeUndefined();
    expect(page.text).not.toContain('<svg');
  });

  it('is not shown when PUBLIC_URL names the one address everybody uses', async () => {
    let asked = false;
    const route = createRouteApp({ PUBLIC_URL: 'http://sms.example.test:3999' }, { networkUrls: () => ((asked = true), ['http://192.168.1.20:3000']) });

    const page = await route.browser().get('/').set('Host', 'localhost:3999');

    expect(page.status).toBe(200);
    expect(page.text).toContain('Connect with Nexmo');
    expect(roomCard(page.text)).toBeUndefined();
    expect(asked).toBe(false);
  });

  it('is still shown when PUBLIC_URL is a loopback name, which only the presenter can open', async () => {
    const route = createRouteApp({ PUBLIC_URL: 'http://localhost:3999' }, { networkUrls: () => ['http://192.168.1.20:3000'] });

    const page = await route.browser().get('/').set('Host', 'localhost:3999');

    expect(page.status).toBe(200);
    expect(roomCard(page.text)).toContain('http://192.168.1.20:3000/');
  });
});

describe('the room board, offered on the same card', () => {
  it('is linked from the "Invite the room" card in sandbox mode, and answers there', async () => {
    const route = createRouteApp({ PUBLIC_URL: '' }, {
      networkUrls: () => ['http://192.168.1.20:3000'],
      provider: (live) => ({ ...live, mode: 'sandbox', sandboxSwitches: async (): Promise<ActiveSwitch[]> => [] }),
    });

    const home = await route.browser().get('/').set('Host', 'localhost:3000');

    expect(home.status).toBe(200);
    expect(linksIn(roomCard(home.text)!).find((link) => link.href === '/room')?.text).toBe('Open the room board');
    const board = await route.browser().get('/room').set('Host', 'localhost:3000');
    expect(board.status).toBe(200);
    expect(textOf(elementOf(board.text, 'h1'))).toBe('Who is in the room');
  });

  it('is neither linked nor there in live mode, though the card is', async () => {
    const route = createRouteApp({ PUBLIC_URL: '' }, { networkUrls: () => ['http://192.168.1.20:3000'] });

    const home = await route.browser().get('/').set('Host', 'localhost:3000');

    expect(home.status).toBe(200);
    expect(roomCard(home.text)).toBeDefined();
    expect(linksIn(roomCard(home.text)!).map((link) => link.href)).not.toContain('/room');
    for (const path of ['/room', '/room.json']) expect((await route.browser().get(path).set('Host', 'localhost:3000')).status).toBe(404);
  });
});

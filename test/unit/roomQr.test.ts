// The QR code printed under the start-up lines: only where a phone can scan it.
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';

import { roomUrl, terminalQr } from '../../src/present/roomQr.js';

const url = 'http://192.168.1.20:3000/';

describe('the QR code in the start-up log', () => {
  it('is printed for readable logs on a terminal, as block characters encoding the Network URL', async () => {
    const qr = await terminalQr(url, { format: 'pretty', isTTY: true });

    expect(qr).toBe(await QRCode.toString(url, { type: 'terminal', small: true, errorCorrectionLevel: 'M' }));
    const lines = (qr ?? '').trimEnd().split('\n');
    // Two rows of modules a line: a 25-module code (plus its margin) is 15 lines or so, not 30.
    const size = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules.size;
    expect(lines.length).toBeGreaterThanOrEqual(Math.ceil(size / 2));
    expect(lines.length).toBeLessThanOrEqual(Math.ceil(size / 2) + 4);
    expect(qr).toMatch(/[▀▄█]/);
  });

  it('is not printed into JSON logs, even on a terminal: a picture is no log record', async () => {
    expect(await terminalQr(url, { format: 'json', isTTY: true })).toBeUndefined();
    expect(await terminalQr(url, { format: 'json', isTTY: false })).toBeUndefined();
  });

  it('is not printed when readable logs go to a file or a pipe, where nobody can scan it', async () => {
    expect(await terminalQr(url, { format: 'pretty', isTTY: false })).toBeUndefined();
  });
});

describe('the address the QR code opens', () => {
  it('is the first IPv4 Network URL, which any phone on the network can reach', () => {
    expect(roomUrl(['http://[fd00::2]:3000', 'http://192.168.1.20:3000', 'http://10.0.0.7:3000'])).toBe('http://192.168.1.20:3000');
  });

  it('is an IPv6 one when that is all there is, and none without a network address', () => {
    expect(roomUrl(['http://[fd00::2]:3000'])).toBe('http://[fd00::2]:3000');
    expect(roomUrl([])).toBeUndefined();
  });
});

// The Network URL as a QR code, so people in the room open the presenter's app by pointing a
// phone at the screen instead of typing an address: inline SVG for the home page, block
// characters for the start-up log.

import QRCode from 'qrcode';

/**
 * The one address to put in a QR code: the first IPv4 one, which every phone on the local
 * network can reach, else the first at all; undefined when there is none.
 */
export function roomUrl(networkUrls: readonly string[]): string | undefined {
  return networkUrls.find((url) => !url.startsWith('http://[')) ?? networkUrls[0];
}

// One URL per network address, so a handful at most; each SVG is made once.
const svgs = new Map<string, Promise<string>>();

/**
 * The QR code as SVG markup to inline in a page: paths with presentation attributes only, no
 * script and no style attribute, so the Content-Security-Policy has nothing to refuse.
 */
export function qrSvg(url: string): Promise<string> {
  let svg = svgs.get(url);
  if (!svg) {
    svg = QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    svgs.set(url, svg);
  }
  return svg;
}

export interface LogOutput {
  format: 'json' | 'pretty';
  /** Whether stdout is a terminal (process.stdout.isTTY). */
  isTTY: boolean;
}

/**
 * The QR code to print after the start-up lines, or undefined when it should not be printed.
 * Only for readable logs on a terminal: a QR is for a phone's camera pointed at the screen.
 * JSON lines go to a log collector, where a multi-line picture would be one unreadable field
 * (the Network line already gives the address); readable logs piped to a file or a CI log would
 * fill it with block characters and colour codes nobody can scan.
 */
export async function terminalQr(url: string, output: LogOutput): Promise<string | undefined> {
  if (output.format !== 'pretty' || !output.isTTY) return undefined;
  // `small` draws two rows of modules per line, so the code stays about 15 lines high.
  return QRCode.toString(url, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
}

import QRCode from 'qrcode';
import { escapeHtml } from '../../core/html.js';

/**
 * The WhatsApp Web log-in QR, drawn here with the `qrcode` package (byte mode, error correction
 * level M) so the log-in token is never sent to anyone else's QR generator.
 */

/** The modules of a QR code, `true` for dark, rows top to bottom. */
export interface QrMatrix {
  readonly size: number;
  readonly version: number;
  readonly mask: number;
  dark(x: number, y: number): boolean;
}

export function encodeQr(text: string): QrMatrix {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { modules } = code;
  return { size: modules.size, version: code.version, mask: Number(code.maskPattern), dark: (x, y) => Boolean(modules.get(y, x)) };
}

/**
 * The QR code as an inline SVG (black modules on white, a four-module quiet zone): attributes
 * only, no style, so the app's Content-Security-Policy holds. `label` is its accessible name.
 */
export function qrSvg(text: string, label: string): string {
  const qr = encodeQr(text);
  const border = 4;
  const extent = qr.size + border * 2;
  const path: string[] = [];
  for (let y = 0; y < qr.size; y++) for (let x = 0; x < qr.size; x++) if (qr.dark(x, y)) path.push(`M${x + border},${y + border}h1v1h-1z`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${extent} ${extent}" width="${extent * 6}" height="${extent * 6}" shape-rendering="crispEdges">` +
    `<rect width="100%" height="100%" fill="#ffffff"/><path d="${path.join('')}" fill="#000000"/></svg>`
  );
}

import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import { RETURN_LABEL_COPY_EN as COPY } from '../copy/return-label.js';

/** What a printed return label shows. No customer address: the link may be forwarded. */
export interface ReturnLabelData {
  rma: string;
  orderNumber: string;
  items: string[];
  returnAddress: readonly string[];
  shopName: string;
  validUntil: Date;
}

const day = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** A 4×6 inch shipping label as a PDF, with the RMA as a Code 128 barcode the warehouse scans. */
export async function renderReturnLabel(data: ReturnLabelData): Promise<Buffer> {
  const barcode = await bwipjs.toBuffer({ bcid: 'code128', text: data.rma, scale: 3, height: 14, includetext: true, textxalign: 'center' });
  const doc = new PDFDocument({ size: [288, 432], margin: 18, info: { Title: COPY.documentTitle(data.rma), Author: data.shopName } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(14).text(COPY.heading(data.shopName), { align: 'center' });
  doc.moveDown(0.5).font('Helvetica').fontSize(8).text(COPY.shipTo);
  doc.font('Helvetica-Bold').fontSize(11).text(data.returnAddress.join('\n'));
  doc.moveDown(0.6).font('Helvetica').fontSize(8).text(COPY.returnAuthorization);
  doc.font('Helvetica-Bold').fontSize(16).text(data.rma);
  doc.image(barcode, { fit: [252, 70], align: 'center' });
  doc.moveDown(0.4).font('Helvetica').fontSize(9).text(COPY.order(data.orderNumber));
  doc.text(COPY.items(data.items.join(', ')));
  doc.moveDown(0.4).fontSize(8).text(COPY.instructions(day.format(data.validUntil), data.rma));
  doc.end();
  return done;
}

import { Router } from 'express';
import { z } from 'zod';
import { apiDocs } from '../core/api-doc.js';
import { SwitchboardError } from '../core/errors.js';
import { RETURN_LABEL_COPY_EN, type ReturnLabelCopy } from '../bots/copy/return-label.js';
import type { ReturnLabelLinks } from '../bots/returns/label-link.js';
import { renderReturnLabel } from '../bots/returns/label.js';
import type { ReturnPolicy } from '../bots/returns/policy-file.js';
import type { ReturnRepository } from '../db/returns.js';

export interface ReturnLabelRouteDeps {
  returns: ReturnRepository;
  labelLinks: ReturnLabelLinks;
  policy: ReturnPolicy;
  shopName: string;
  now?: () => Date;
  copy?: ReturnLabelCopy;
}

export const returnLabelDocs = apiDocs('', 'Returns', [
  {
    method: 'get',
    path: '/returns/:rma/label.pdf',
    summary: 'Download a prepaid return label (PDF with a Code 128 barcode of the RMA).',
    description:
      'The link comes from the returns flow in the chat. It is HMAC-signed over the RMA and the expiry with a key derived from SESSION_SECRET, ' +
      "and expires after the policy's labelValidDays (14 by default). The signature is checked before the RMA is looked up.",
    params: z.object({ rma: z.string().meta({ example: 'RMA-2MN65MVV' }) }),
    query: z.object({
      expires: z.string().regex(/^\d+$/).meta({ description: 'Unix seconds.' }),
      sig: z.string().meta({ description: 'base64url HMAC-SHA256.' }),
    }),
    responses: {
      200: { description: 'The label, as an attachment (Content-Disposition attachment).', content: { 'application/pdf': z.string().meta({ format: 'binary' }) } },
      403: 'The link is forged or expired.',
      404: 'No return label for this RMA.',
    },
  },
]);

/**
 * `GET /returns/:rma/label.pdf?expires=…&sig=…`: the prepaid label behind a signed, expiring link.
 * The signature is checked first, so a forged link learns nothing, not even whether the RMA exists.
 */
export function returnLabelRouter(deps: ReturnLabelRouteDeps): Router {
  const router = Router();
  const copy = deps.copy ?? RETURN_LABEL_COPY_EN;
  router.get('/returns/:rma/label.pdf', async (req, res) => {
    const rma = req.params.rma;
    const query = (name: string) => (typeof req.query[name] === 'string' ? req.query[name] : undefined);
    const check = deps.labelLinks.check(rma, query('expires'), query('sig'), deps.now?.() ?? new Date());
    if (check === 'bad_signature') throw new SwitchboardError('SB_ERR_FORBIDDEN', copy.linkNotValid);
    if (check === 'expired') throw new SwitchboardError('SB_ERR_FORBIDDEN', copy.linkExpired);
    const record = await deps.returns.get(rma);
    if (record === null || record.method !== 'label') throw new SwitchboardError('SB_ERR_NOT_FOUND', copy.noLabel(rma));
    const lines = await deps.returns.orderLines(record.orderNumber);
    const pdf = await renderReturnLabel({
      rma: record.rma,
      orderNumber: record.orderNumber,
      items: record.items.map((item) => copy.item(lines.find((l) => l.line === item.line)?.name ?? item.sku, item.quantity)),
      returnAddress: deps.policy.returnAddress,
      shopName: deps.shopName,
      validUntil: new Date(Number(query('expires')) * 1000),
    });
    res
      .status(200)
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${record.rma}-label.pdf"`,
        'Cache-Control': 'private, no-store',
      })
      .send(pdf);
  });
  return router;
}

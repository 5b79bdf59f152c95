import type { DeviceDetails } from '../../db/devices.js';
import type { TroubleshootingTree } from '../../knowledge/index.js';
import type { FlowContext, Reply } from '../flow.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import { TROUBLESHOOTING_COPY as COPY } from './copy.js';
import { deviceLabel } from './dashboard.js';
import type { WalkEnd } from './tree-session.js';
import { describeTried, type TriedStep } from './tried-steps.js';

const day = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

export interface WalkEndingDeps {
  articleUrl(articleId: string): string;
}

/** A device walk ends about: the verified customer's own device, or nobody's (unverified). */
export type WalkDevice = { customer: VerifiedCustomer; device: DeviceDetails } | null;

/**
 * Finishes a troubleshooting walk: fixed → resolved; a repair terminal → a repair case when the
 * verified customer's device is in warranty (else the paid-repair option); a handoff terminal →
 * a person, with every step tried in the message and the event log.
 */
export async function finishWalk(
  deps: WalkEndingDeps,
  input: { ctx: FlowContext; reply: Reply; tree: TroubleshootingTree; owned: WalkDevice; end: Exclude<WalkEnd, { kind: 'waiting' }> },
): Promise<void> {
  const { ctx, reply, tree, owned, end } = input;
  if (end.kind === 'fixed') {
    reply.say(COPY.fixed).expect(null).end('resolved');
    return;
  }
  const link = end.article !== undefined ? { title: COPY.readArticle, url: deps.articleUrl(end.article) } : undefined;
  const tried = describeTried(end.tried);
  switch (end.terminal) {
    case 'resolved':
      reply.send({ kind: 'card', title: tree.title, text: end.text, ...(link ? { link } : {}) }).expect(null).end('resolved');
      return;
    case 'handoff':
      reply
        .say(COPY.handingOver(end.text, tried))
        .expect(null)
        .end('handed_off')
        .handoff('troubleshooting_failed', `troubleshooting "${tree.title}" (${tree.id}) not resolved after ${end.tried.length} steps`, 'device');
      return;
    case 'offer_repair':
      await offerRepair(deps, { ctx, reply, tree, owned, text: end.text, tried: end.tried, link });
      return;
    default: {
      const unknown: never = end.terminal;
      throw new Error(`unknown terminal ${String(unknown)}`);
    }
  }
}

async function offerRepair(
  deps: WalkEndingDeps,
  input: {
    ctx: FlowContext;
    reply: Reply;
    tree: TroubleshootingTree;
    owned: WalkDevice;
    text: string;
    tried: TriedStep[];
    link: { title: string; url: string } | undefined;
  },
): Promise<void> {
  const { ctx, reply, tree, owned, tried } = input;
  const warranty = owned === null ? null : await owned.customer.warranty({ sku: owned.device.sku, now: ctx.now, boughtBefore: owned.device.registered_at });
  if (owned === null || warranty === null) {
    // Without a verified device and its purchase we can't check the warranty: a person can.
    reply
      .say(COPY.needsRepair(describeTried(tried)))
      .expect(null)
      .end('handed_off')
      .handoff('repair_needed', `repair needed after troubleshooting "${tree.title}" (${tree.id})`, 'device');
    return;
  }
  const { customer, device } = owned;
  if (!warranty.inWarranty) {
    const expired = warranty.expiresAt === null ? COPY.noWarranty(warranty.productName) : COPY.warrantyEnded(deviceLabel(device), day.format(warranty.expiresAt));
    reply
      .send({
        kind: 'card',
        title: COPY.repairOptionsTitle,
        text: COPY.paidRepair(expired),
        link: { title: COPY.repairServiceTitle, url: deps.articleUrl('repair-service') },
      })
      .choose(COPY.paidRepairQuestion, [COPY.talkToPerson])
      .expect(null)
      .end('failed');
    return;
  }
  const opened = await customer.openCase({
    conversationId: ctx.conversationId,
    kind: 'repair',
    summary: `${device.productName} ${device.serial}: "${tree.title}" not fixed by guided troubleshooting`,
    details: {
      serial: device.serial,
      sku: device.sku,
      tree: tree.id,
      firmware: device.firmware_version,
      online: device.online,
      orderNumber: warranty.orderNumber,
      warrantyEndsAt: warranty.expiresAt?.toISOString() ?? null,
      stepsTried: tried,
    },
  });
  reply
    .set('case_id', opened.id)
    .send({
      kind: 'card',
      title: COPY.repairCaseTitle(opened.id),
      text: COPY.repairCaseOpened(input.text, opened.id, deviceLabel(device), day.format(warranty.expiresAt!)),
      ...(input.link ? { link: input.link } : {}),
    })
    .expect(null)
    .end('resolved');
}

import type { DeviceDetails } from '../../db/devices.js';
import type { TroubleshootingTree } from '../../knowledge/index.js';
import type { FlowContext, Reply } from '../flow.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import { TROUBLESHOOTING_COPY as COPY } from './copy.js';
import { deviceLabel } from './dashboard.js';
import type { WalkEnd } from './tree-session.js';
import { describeTried, type TriedStep } from './tried-steps.js';

const day = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
const OFFER_PERSON = { label: 'Talk to a person', value: 'intent:human_agent' };

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
  const link = end.article !== undefined ? { title: 'Read the article', url: deps.articleUrl(end.article) } : undefined;
  const tried = describeTried(end.tried);
  switch (end.terminal) {
    case 'resolved':
      reply.send({ kind: 'card', title: tree.title, text: end.text, ...(link ? { link } : {}) }).expect(null).end('resolved');
      return;
    case 'handoff':
      reply
        .say(`${end.text}${tried !== '' ? `\nWhat we've tried so far:\n${tried}` : ''}`)
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
      .say(`It looks like the device needs a repair. I'm passing you to our team to set that up; they'll see the steps you've tried:\n${describeTried(tried)}`)
      .expect(null)
      .end('handed_off')
      .handoff('repair_needed', `repair needed after troubleshooting "${tree.title}" (${tree.id})`, 'device');
    return;
  }
  const { customer, device } = owned;
  if (!warranty.inWarranty) {
    const expired = warranty.expiresAt === null ? `The ${warranty.productName} has no warranty` : `The warranty on your ${deviceLabel(device)} ended on ${day.format(warranty.expiresAt)}`;
    reply
      .send({
        kind: 'card',
        title: 'Repair options',
        text: `${expired}, so a free warranty repair isn't possible. Our paid repair service can fix it: you get a quote before any work starts.`,
        link: { title: 'Repair service', url: deps.articleUrl('repair-service') },
      })
      .choose('Would you like a person to help arrange a paid repair?', [OFFER_PERSON])
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
      title: `Repair case ${opened.id}`,
      text: `${input.text}\nI've opened repair case ${opened.id} for your ${deviceLabel(device)}, under warranty until ${day.format(warranty.expiresAt!)}. Our repair team will email you shipping instructions within one business day.`,
      ...(input.link ? { link: input.link } : {}),
    })
    .expect(null)
    .end('resolved');
}

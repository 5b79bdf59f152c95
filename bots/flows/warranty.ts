import { WARRANTY_COPY_EN as COPY } from '../copy/warranty.js';
import { firstEntity, payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { flowState, Text } from '../flow-state.js';
import { GATE_FIELDS, type IdentityGate } from '../identity-gate.js';
import { familyOfCategory, namedProduct, type ProductLookup } from '../knowledge/index.js';
import type { WarrantyStatus } from '../troubleshooting/index.js';
import type { VerifiedCustomer } from '../verified-customer.js';

export interface WarrantyDeps {
  products: ProductLookup;
  gate: IdentityGate;
  articleUrl(articleId: string): string;
  /** SHOP_NAME: the warranty article's link names the shop's warranty. */
  shopName: string;
}

const SLOTS = { sku: 'warranty_sku', family: 'warranty_family', order: 'warranty_order' } as const;
/** The product asked about (or its family) and the order it came from, kept while the customer verifies. */
const WarrantyState = flowState({ ...GATE_FIELDS, [SLOTS.sku]: Text, [SLOTS.family]: Text, [SLOTS.order]: Text, case_id: Text });
const STEPS = { chooseItem: 'warranty:choose_item', offerClaim: 'warranty:offer_claim' } as const;
const WARRANTY_ARTICLE = 'warranty-coverage';
const day = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/**
 * "Is it still under warranty?": the verified customer's product, its warranty from the order
 * date and the product's warranty period, then a warranty case or, when it has run out, the
 * paid repair option. Always cites the warranty article.
 */
export class WarrantyFlow implements Flow {
  readonly name = 'warranty';
  readonly state = WarrantyState;

  constructor(private readonly deps: WarrantyDeps) {}

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) {
      // The product named in the question is remembered: verification takes a few messages.
      const named = await namedProduct(ctx, this.deps.products);
      reply.start().set(SLOTS.sku, named?.sku ?? null).set(SLOTS.family, named?.family ?? null).set(SLOTS.order, null);
    }
    // An order number typed at the gate's own question is the claim as well, not only one in the first message.
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: this.deps.gate.requestedOrder(ctx), purpose: COPY.gatePurpose });
    if (gate.status === 'pending') return reply.decision();
    const { customer } = gate;

    const picked = payloadValue(ctx, 'warranty-item')?.split(':');
    if (picked?.length === 2) {
      await this.answer(ctx, reply, customer, await customer.warranty({ orderNumber: picked[0]!, sku: picked[1]!, now: ctx.now }));
      return reply.decision();
    }
    if (ctx.state.step === STEPS.offerClaim) {
      if (ctx.message.payload === 'warranty:claim' || ctx.nlu.intent === 'affirm') await this.openClaim(ctx, reply, customer);
      else reply.say(COPY.declined).expect(null).end('resolved');
      return reply.decision();
    }
    await this.chooseItem(ctx, reply, customer);
    return reply.decision();
  }

  private async chooseItem(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const sku = WarrantyState.get(ctx.state, SLOTS.sku) ?? firstEntity(ctx, 'product');
    const family = WarrantyState.read(ctx.state)[SLOTS.family];
    const bought = await customer.purchasedProducts();
    const matching = bought.filter((b) => (sku === null ? family === undefined || familyOfCategory(b.category) === family : b.sku === sku));
    if (matching.length === 0) {
      reply
        .send(this.articleCard(COPY.notInOrders(sku !== null || family !== undefined)))
        .expect(null)
        .end('resolved');
      return;
    }
    if (matching.length === 1) {
      const only = matching[0]!;
      await this.answer(ctx, reply, customer, await customer.warranty({ orderNumber: only.orderNumber, sku: only.sku, now: ctx.now }));
      return;
    }
    reply
      .choose(
        COPY.whichProduct,
        matching.slice(0, 10).map((m) => ({ label: COPY.productOption(m.name, m.orderNumber).slice(0, 100), value: `warranty-item:${m.orderNumber}:${m.sku}` })),
      )
      .step(STEPS.chooseItem);
  }

  private async answer(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer, status: WarrantyStatus | null): Promise<void> {
    if (status === null) {
      await this.chooseItem(ctx, reply, customer);
      return;
    }
    const bought = COPY.bought(status.productName, status.orderNumber, day.format(status.purchasedAt));
    if (!status.inWarranty) {
      const ended = status.expiresAt === null ? COPY.noWarranty(bought) : COPY.expired(bought, status.months, day.format(status.expiresAt));
      reply
        .send(this.articleCard(ended))
        .send({ kind: 'card', title: COPY.repairCard.title, text: COPY.repairCard.text, link: { title: COPY.repairCard.linkTitle, url: this.deps.articleUrl('repair-service') } })
        .choose(COPY.askRepairHelp, [COPY.talkToPerson])
        .expect(null)
        .end('resolved');
      return;
    }
    reply
      .set(SLOTS.sku, status.sku)
      .set(SLOTS.order, status.orderNumber)
      .send(this.articleCard(COPY.covered(bought, status.months, day.format(status.expiresAt!))))
      .choose(COPY.offerClaim, COPY.claimOptions)
      .step(STEPS.offerClaim);
  }

  private async openClaim(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const { [SLOTS.sku]: sku, [SLOTS.order]: orderNumber } = WarrantyState.read(ctx.state);
    const status = sku === undefined || orderNumber === undefined ? null : await customer.warranty({ sku, orderNumber, now: ctx.now });
    if (status === null || !status.inWarranty) {
      await this.chooseItem(ctx, reply, customer);
      return;
    }
    const opened = await customer.openCase({
      conversationId: ctx.conversationId,
      kind: 'warranty',
      summary: `Warranty claim: ${status.productName} (order ${status.orderNumber})`,
      details: { sku: status.sku, orderNumber: status.orderNumber, warrantyEndsAt: status.expiresAt?.toISOString() ?? null },
    });
    reply
      .set('case_id', opened.id)
      .say(COPY.claimOpened(opened.id, status.productName))
      .expect(null)
      .end('resolved');
  }

  private articleCard(text: string): { kind: 'card'; title: string; text: string; link: { title: string; url: string } } {
    return { kind: 'card', title: COPY.cardTitle, text, link: { title: COPY.articleLinkTitle(this.deps.shopName), url: this.deps.articleUrl(WARRANTY_ARTICLE) } };
  }
}

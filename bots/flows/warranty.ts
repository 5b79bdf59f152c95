import { firstEntity, payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import type { IdentityGate } from '../identity-gate.js';
import { familyOfCategory, namedProduct, type ProductLookup } from '../knowledge/index.js';
import type { WarrantyStatus } from '../troubleshooting/index.js';
import type { VerifiedCustomer } from '../verified-customer.js';

export interface WarrantyDeps {
  products: ProductLookup;
  gate: IdentityGate;
  articleUrl(articleId: string): string;
}

const SLOTS = { sku: 'warranty_sku', family: 'warranty_family', order: 'warranty_order' } as const;
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

  constructor(private readonly deps: WarrantyDeps) {}

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) {
      // The product named in the question is remembered: verification takes a few messages.
      const named = await namedProduct(ctx, this.deps.products);
      reply.start().set(SLOTS.sku, named?.sku ?? null).set(SLOTS.family, named?.family ?? null).set(SLOTS.order, null);
    }
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: starting ? firstEntity(ctx, 'order_number') : null, purpose: 'check your warranty' });
    if (gate.status === 'pending') return reply.decision();
    const { customer } = gate;

    const picked = payloadValue(ctx, 'warranty-item')?.split(':');
    if (picked?.length === 2) {
      await this.answer(ctx, reply, customer, await customer.warranty({ orderNumber: picked[0]!, sku: picked[1]!, now: ctx.now }));
      return reply.decision();
    }
    if (ctx.state.step === STEPS.offerClaim) {
      if (ctx.message.payload === 'warranty:claim' || ctx.nlu.intent === 'affirm') await this.openClaim(ctx, reply, customer);
      else reply.say(`No problem. If you change your mind, just ask about your warranty again.`).expect(null).end('resolved');
      return reply.decision();
    }
    await this.chooseItem(ctx, reply, customer);
    return reply.decision();
  }

  private async chooseItem(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const sku = ctx.state.slots[SLOTS.sku] ?? firstEntity(ctx, 'product');
    const family = ctx.state.slots[SLOTS.family];
    const bought = await customer.purchasedProducts();
    const matching = bought.filter((b) => (sku === null ? family === undefined || familyOfCategory(b.category) === family : b.sku === sku));
    if (matching.length === 0) {
      reply
        .send(this.articleCard(`I couldn't find ${sku !== null || family !== undefined ? 'that product' : 'a product with a warranty'} in your orders. Products bought elsewhere are covered too: start a claim with your receipt from the article below.`))
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
        'Which product is it about?',
        matching.slice(0, 10).map((m) => ({ label: `${m.name} · order ${m.orderNumber}`.slice(0, 100), value: `warranty-item:${m.orderNumber}:${m.sku}` })),
      )
      .step(STEPS.chooseItem);
  }

  private async answer(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer, status: WarrantyStatus | null): Promise<void> {
    if (status === null) {
      await this.chooseItem(ctx, reply, customer);
      return;
    }
    const bought = `Your ${status.productName} from order ${status.orderNumber} (${day.format(status.purchasedAt)})`;
    if (!status.inWarranty) {
      const ended = status.expiresAt === null ? `${bought} doesn't carry a warranty.` : `${bought} was covered by the ${status.months}-month warranty until ${day.format(status.expiresAt)}, so it has expired.`;
      reply
        .send(this.articleCard(ended))
        .send({ kind: 'card', title: 'Paid repair', text: 'Our repair service can still fix it: you get a quote before any work starts.', link: { title: 'Repair service', url: this.deps.articleUrl('repair-service') } })
        .choose('Would you like a person to help arrange a repair?', [{ label: 'Talk to a person', value: 'intent:human_agent' }])
        .expect(null)
        .end('resolved');
      return;
    }
    reply
      .set(SLOTS.sku, status.sku)
      .set(SLOTS.order, status.orderNumber)
      .send(this.articleCard(`${bought} is covered by the ${status.months}-month warranty until ${day.format(status.expiresAt!)}.`))
      .choose('Would you like me to open a warranty claim?', [
        { label: 'Open a warranty claim', value: 'warranty:claim' },
        { label: 'No, thanks', value: 'warranty:no' },
      ])
      .step(STEPS.offerClaim);
  }

  private async openClaim(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer): Promise<void> {
    const sku = ctx.state.slots[SLOTS.sku];
    const orderNumber = ctx.state.slots[SLOTS.order];
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
      .say(`I've opened warranty case ${opened.id} for your ${status.productName}. Our repair team will email you within one business day with how to send it in or get an advance replacement.`)
      .expect(null)
      .end('resolved');
  }

  private articleCard(text: string): { kind: 'card'; title: string; text: string; link: { title: string; url: string } } {
    return { kind: 'card', title: 'Warranty', text, link: { title: 'What the Voltline warranty covers', url: this.deps.articleUrl(WARRANTY_ARTICLE) } };
  }
}

import { isDeviceFamily, type DeviceFamily, type TroubleshootingTree } from '../../knowledge/index.js';
import { payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import type { IdentityGate } from '../identity-gate.js';
import { familyOfCategory, namedProduct, type ProductLookup } from '../knowledge/index.js';
import { chooseTree, describeDevice, deviceLabel, familiesWithTrees, finishWalk, TreeSession, type WalkDevice } from '../troubleshooting/index.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import type { KnowledgeSource } from './index.js';

export interface TroubleshootingDeps {
  products: ProductLookup;
  gate: IdentityGate;
  knowledge: KnowledgeSource;
  articleUrl(articleId: string): string;
  /** SHOP_TIME_ZONE: the dashboard's times are shown in it when the customer's channel sent no zone. */
  shopTimeZone: string;
}

const SLOTS = { tree: 'troubleshooting_tree', family: 'troubleshooting_family', sku: 'troubleshooting_sku', device: 'troubleshooting_device' } as const;
const STEPS = { offerVerify: 'ts:offer_verify', chooseDevice: 'ts:choose_device', chooseFamily: 'ts:choose_family' } as const;

/**
 * Guided device troubleshooting: picks the decision tree for the symptom and device, offers
 * verification so it can start from the customer's registered device and what its dashboard
 * knows, walks the tree, and ends resolved, with a repair case, or with a person.
 * Nothing about a device is shown before the customer is verified.
 */
export class TroubleshootingFlow implements Flow {
  readonly name = 'troubleshooting';

  constructor(private readonly deps: TroubleshootingDeps) {}

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) {
      reply.start();
      for (const slot of [...Object.values(SLOTS), 'troubleshooting_steps']) reply.set(slot, null);
      await this.begin(ctx, reply, null);
      return reply.decision();
    }
    const step = ctx.state.step ?? '';
    const pressed = ctx.message.payload;
    if (step === STEPS.chooseFamily) {
      const family = payloadValue(ctx, 'ts-family');
      await this.begin(ctx, reply, family !== null && isDeviceFamily(family) ? family : null);
    } else if (pressed === 'ts:verify' || (step === STEPS.offerVerify && ctx.nlu.intent === 'affirm') || step.startsWith('verify:')) {
      await this.verify(ctx, reply);
    } else if (pressed === 'ts:skip-verify' || (step === STEPS.offerVerify && ctx.nlu.intent === 'deny')) {
      await this.enterTree(ctx, reply, null);
    } else if (step === STEPS.chooseDevice) {
      const serial = payloadValue(ctx, 'ts-device');
      const customer = this.deps.gate.alreadyVerified(ctx);
      const device = serial === null || customer === null ? null : await customer.device(serial);
      if (customer === null || device === null) await this.withDevices(ctx, reply, customer);
      else await this.enterTree(ctx, reply, { customer, device });
    } else {
      await this.continueWalk(ctx, reply);
    }
    return reply.decision();
  }

  private treeOf(ctx: FlowContext): TroubleshootingTree | null {
    const id = ctx.state.slots[SLOTS.tree];
    return this.deps.knowledge.current().base.trees.find((t) => t.id === id) ?? null;
  }

  private async begin(ctx: FlowContext, reply: Reply, chosenFamily: DeviceFamily | null): Promise<void> {
    const named = await namedProduct(ctx, this.deps.products);
    const family = chosenFamily ?? named?.family ?? null;
    const trees = this.deps.knowledge.current().base.trees;
    const tree = chooseTree(trees, { intent: ctx.nlu.intent, family, text: ctx.message.text });
    if (tree === null) {
      reply
        .choose(`Sorry to hear that. Which device is it?`, [
          ...familiesWithTrees(trees).map((f) => ({ label: f === 'tv' ? 'TV' : f[0]!.toUpperCase() + f.slice(1), value: `ts-family:${f}` })),
          { label: 'Something else', value: 'intent:human_agent' },
        ])
        .step(STEPS.chooseFamily);
      return;
    }
    reply.set(SLOTS.tree, tree.id).set(SLOTS.family, family ?? (tree.family === 'any' ? null : tree.family)).set(SLOTS.sku, named?.sku ?? null);
    const customer = this.deps.gate.alreadyVerified(ctx);
    if (customer !== null) {
      await this.withDevices(ctx, reply, customer, tree, family);
      return;
    }
    reply
      .choose(`Let's get that fixed. If you verify your account, I can check your device's status first. Would you like to?`, [
        { label: 'Yes, check my device', value: 'ts:verify' },
        { label: 'No, just troubleshoot', value: 'ts:skip-verify' },
      ])
      .step(STEPS.offerVerify);
  }

  private async verify(ctx: FlowContext, reply: Reply): Promise<void> {
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: null, purpose: 'check your device status' });
    if (gate.status === 'verified') await this.withDevices(ctx, reply, gate.customer);
  }

  /** The verified customer's devices of the tree's family: one is used, several are offered, none means no dashboard. */
  private async withDevices(ctx: FlowContext, reply: Reply, customer: VerifiedCustomer | null, tree = this.treeOf(ctx), family = this.family(ctx)): Promise<void> {
    if (customer === null || tree === null) return this.enterTree(ctx, reply, null);
    const sku = ctx.state.slots[SLOTS.sku] ?? null;
    const all = await customer.devices();
    const ofFamily = all.filter((d) => family === null || familyOfCategory(d.category) === family);
    const devices = sku !== null && ofFamily.some((d) => d.sku === sku) ? ofFamily.filter((d) => d.sku === sku) : ofFamily;
    if (devices.length === 1) return this.enterTree(ctx, reply, { customer, device: devices[0]! }, tree);
    if (devices.length === 0) {
      reply.say(`I don't see a ${family ?? 'device'} registered on your account, so I can't check its status. Let's go through the steps together.`);
      return this.enterTree(ctx, reply, null, tree);
    }
    reply
      .choose(
        'Which device is it?',
        devices.map((d) => ({ label: `${deviceLabel(d)} · ${d.online ? 'online' : 'offline'}`.slice(0, 100), value: `ts-device:${d.serial}` })),
      )
      .step(STEPS.chooseDevice);
  }

  private family(ctx: FlowContext): DeviceFamily | null {
    const value = ctx.state.slots[SLOTS.family];
    return value !== undefined && isDeviceFamily(value) ? value : null;
  }

  /** Shows the dashboard first (before any question), then the tree's first node it can't answer itself. */
  private async enterTree(ctx: FlowContext, reply: Reply, owned: WalkDevice, tree = this.treeOf(ctx)): Promise<void> {
    if (tree === null) return this.begin(ctx, reply, null);
    const device = owned?.device ?? null;
    reply.set(SLOTS.device, device?.serial ?? null);
    if (device !== null) reply.say(describeDevice(device, ctx.now, ctx.message.timeZone ?? this.deps.shopTimeZone));
    const family = this.family(ctx) ?? (device === null ? null : familyOfCategory(device.category));
    const session = new TreeSession({ ctx, reply, tree, device, family, articleUrl: this.deps.articleUrl, fresh: true });
    const end = session.enter(tree.entry);
    if (end.kind !== 'waiting') await finishWalk(this.deps, { ctx, reply, tree, owned, end });
  }

  private async continueWalk(ctx: FlowContext, reply: Reply): Promise<void> {
    const tree = this.treeOf(ctx);
    if (tree === null) return this.begin(ctx, reply, null);
    const serial = ctx.state.slots[SLOTS.device];
    const customer = this.deps.gate.alreadyVerified(ctx);
    const device = serial === undefined || customer === null ? null : await customer.device(serial);
    const owned: WalkDevice = customer !== null && device !== null ? { customer, device } : null;
    const family = this.family(ctx) ?? (device === null ? null : familyOfCategory(device.category));
    const session = new TreeSession({ ctx, reply, tree, device, family, articleUrl: this.deps.articleUrl });
    const end = session.answer();
    if (end.kind !== 'waiting') await finishWalk(this.deps, { ctx, reply, tree, owned, end });
  }
}

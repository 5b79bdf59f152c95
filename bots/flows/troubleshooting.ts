import { isDeviceFamily, type DeviceFamily, type TroubleshootingTree } from '../../knowledge/index.js';
import { firstEntity, payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { GATE_STEPS, type IdentityGate } from '../identity-gate.js';
import { TRIED_SLOT } from '../troubleshooting/tried-steps.js';
import { WALK_SLOTS, WalkState } from '../troubleshooting/walk-state.js';
import { familyOfCategory, namedProduct, type ProductLookup } from '../knowledge/index.js';
import {
  chooseTree,
  describeDevice,
  deviceLabel,
  familiesWithTrees,
  familyNamed,
  familyWord,
  finishWalk,
  matchOption,
  NODE_STEP_PREFIX,
  readFixReport,
  readNodeAnswer,
  TreeSession,
  TROUBLESHOOTING_COPY as COPY,
  tellKnownOutage,
  type OpenIncidents,
  type WalkDevice,
} from '../troubleshooting/index.js';
import type { VerifiedCustomer } from '../verified-customer.js';
import type { KnowledgeSource } from './index.js';

export interface TroubleshootingDeps {
  products: ProductLookup;
  gate: IdentityGate;
  knowledge: KnowledgeSource;
  articleUrl(articleId: string): string;
  /** SHOP_TIME_ZONE: the dashboard's times are shown in it when the customer's channel sent no zone. */
  shopTimeZone: string;
  /** Open outages: a device one affects gets the outage notice instead of steps. */
  incidents?: OpenIncidents;
}

const SLOTS = WALK_SLOTS;
/** "check my device", "verify me", "can you check its status": asking for the dashboard in words. */
const WANTS_CHECK = /\b(check|verify|look up|see)\b.{0,25}\b(device|status|account|dashboard|it|my)\b|^verify( me)?[.!]*$/i;
const STEPS = { offerVerify: 'ts:offer_verify', chooseDevice: 'ts:choose_device', chooseFamily: 'ts:choose_family' } as const;

/**
 * Guided device troubleshooting: picks the decision tree for the symptom and device, offers
 * verification so it can start from the customer's registered device and what its dashboard
 * knows, walks the tree, and ends resolved, with a repair case, or with a person.
 * Nothing about a device is shown before the customer is verified.
 */
export class TroubleshootingFlow implements Flow {
  readonly name = 'troubleshooting';
  readonly state = WalkState;

  constructor(private readonly deps: TroubleshootingDeps) {}

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) {
      reply.start();
      for (const slot of [...Object.values(SLOTS), TRIED_SLOT]) reply.set(slot, null);
      await this.begin(ctx, reply, null);
      return reply.decision();
    }
    const step = ctx.state.step ?? '';
    const pressed = ctx.message.payload;
    if (step === STEPS.chooseFamily) {
      const family = payloadValue(ctx, 'ts-family') ?? familyNamed(ctx.message.text);
      if (family !== null && isDeviceFamily(family)) await this.begin(ctx, reply, family);
      else this.askFamily(reply, true);
    } else if (step === GATE_STEPS.awaitingClaim && pressed !== 'ts:verify' && !this.claimsIdentity(ctx)) {
      // Asked for the account but answered the troubleshooting instead: carry on where we were.
      await this.carryOn(ctx, reply);
    } else if (pressed === 'ts:verify' || (step === STEPS.offerVerify && ctx.nlu.intent === 'affirm') || step.startsWith('verify:')) {
      await this.verify(ctx, reply);
    } else if (pressed === 'ts:skip-verify' || (step === STEPS.offerVerify && ctx.nlu.intent === 'deny')) {
      await this.enterTree(ctx, reply, null);
    } else if (step === STEPS.chooseDevice) {
      const customer = this.deps.gate.alreadyVerified(ctx);
      const serial = payloadValue(ctx, 'ts-device') ?? (customer === null ? null : await this.typedDevice(ctx, customer));
      const device = serial === null || customer === null ? null : await customer.device(serial);
      if (customer !== null && device !== null) await this.enterTree(ctx, reply, { customer, device });
      // Not one of the devices listed ("no light at all"): carry on without the dashboard, reading it as an answer.
      else await this.enterTree(ctx, reply, null, undefined, ctx.message.text);
    } else if (step.startsWith(NODE_STEP_PREFIX) && this.wantsCheck(ctx)) {
      reply.set(SLOTS.resumeAt, step.slice(NODE_STEP_PREFIX.length));
      await this.verify(ctx, reply);
    } else {
      await this.continueWalk(ctx, reply);
    }
    return reply.decision();
  }

  /**
   * Free text at a tree node stays in the walk ("its blinking red", "tried that, still nothing",
   * "I tried charging it overnight, still nothing"), however confident the classifier is that it
   * is another intent; so does asking to check the device or naming the device at "which device?".
   * A question or a request for a person is not an answer, and is left to the engine.
   */
  answers(ctx: FlowContext): boolean {
    if (ctx.state.activeFlow !== this.name || payloadValue(ctx, 'intent') !== null) return false;
    const step = ctx.state.step ?? '';
    if (step === STEPS.chooseFamily) return familyNamed(ctx.message.text) !== null;
    if (step === STEPS.offerVerify) return ctx.nlu.intent === 'affirm' || ctx.nlu.intent === 'deny';
    // At "which device is it?" a typed name, or what the device is doing, is still this walk.
    if (step === STEPS.chooseDevice) return !/\?\s*$|\b(human|person|agent)\b/i.test(ctx.message.text);
    if (!step.startsWith(NODE_STEP_PREFIX)) return false;
    const node = this.treeOf(ctx)?.nodes[step.slice(NODE_STEP_PREFIX.length)];
    if (node === undefined) return false;
    // "still nothing" at a question is no answer to it, but it is about this walk, never a payment or a goodbye.
    return readNodeAnswer(ctx, node) !== null || readFixReport(ctx.message.text) !== null || this.wantsCheck(ctx);
  }

  /** The listed device a typed answer names: its nickname, serial or model ("the desk lamp one", "000104"). */
  private async typedDevice(ctx: FlowContext, customer: VerifiedCustomer): Promise<string | null> {
    const devices = await customer.devices();
    const index = matchOption(
      devices.map((d) => ({ label: d.serial, synonyms: [d.serial.split('-').at(-1) ?? d.serial, ...(d.nickname !== null ? [d.nickname] : [])] })),
      ctx.message.text,
      'volunteered',
    );
    return index === null ? null : (devices[index]?.serial ?? null);
  }

  private claimsIdentity(ctx: FlowContext): boolean {
    return firstEntity(ctx, 'email') !== null || firstEntity(ctx, 'phone') !== null || firstEntity(ctx, 'order_number') !== null;
  }

  private wantsCheck(ctx: FlowContext): boolean {
    if (this.deps.gate.alreadyVerified(ctx) !== null) return false;
    return ctx.message.payload === 'ts:verify' || firstEntity(ctx, 'email') !== null || firstEntity(ctx, 'phone') !== null || WANTS_CHECK.test(ctx.message.text);
  }

  /** Back to the node the customer was answering before the account question, without the check. */
  private async carryOn(ctx: FlowContext, reply: Reply): Promise<void> {
    const tree = this.treeOf(ctx);
    if (tree === null) return this.begin(ctx, reply, null);
    const at = WalkState.get(ctx.state, SLOTS.resumeAt) ?? tree.entry;
    const node = tree.nodes[at];
    reply.expect(null).set(SLOTS.resumeAt, null);
    // What they typed may already answer that node ("ok it works now").
    if (node !== undefined && readNodeAnswer(ctx, node) !== null) {
      reply.step(`${NODE_STEP_PREFIX}${at}`);
      const moved = { ...ctx, state: { ...ctx.state, step: `${NODE_STEP_PREFIX}${at}` } };
      return this.continueWalk(moved, reply);
    }
    reply.say(COPY.carryOn);
    const session = new TreeSession({ ctx, reply, tree, device: null, family: this.family(ctx), articleUrl: this.deps.articleUrl });
    const end = session.enter(Object.hasOwn(tree.nodes, at) ? at : tree.entry);
    if (end.kind !== 'waiting') await finishWalk(this.deps, { ctx, reply, tree, owned: null, end });
  }

  private treeOf(ctx: FlowContext): TroubleshootingTree | null {
    const id = WalkState.get(ctx.state, SLOTS.tree);
    return this.deps.knowledge.current().base.trees.find((t) => t.id === id) ?? null;
  }

  private async begin(ctx: FlowContext, reply: Reply, chosenFamily: DeviceFamily | null): Promise<void> {
    const named = await namedProduct(ctx, this.deps.products);
    const family = chosenFamily ?? named?.family ?? familyNamed(ctx.message.text);
    const incident = (await this.deps.incidents?.affecting({ family, sku: named?.sku ?? null })) ?? null;
    if (incident !== null) return tellKnownOutage(reply, incident, named?.name ?? familyWord(family));
    const trees = this.deps.knowledge.current().base.trees;
    // Answering "which device?" names only the device: the symptom is in the message that started the walk.
    const told = chosenFamily !== null ? `${WalkState.get(ctx.state, SLOTS.told) ?? ''} ${ctx.message.text}`.trim() : ctx.message.text;
    const intent = chosenFamily !== null ? (WalkState.get(ctx.state, SLOTS.intent) ?? ctx.nlu.intent) : ctx.nlu.intent;
    const tree = chooseTree(trees, { intent, family, text: told });
    if (tree === null) {
      reply.set(SLOTS.told, told.slice(0, 500)).set(SLOTS.intent, intent);
      this.askFamily(reply, false);
      return;
    }
    reply
      .set(SLOTS.tree, tree.id)
      .set(SLOTS.family, family ?? (tree.family === 'any' ? null : tree.family))
      .set(SLOTS.sku, named?.sku ?? null)
      .set(SLOTS.told, told.slice(0, 500));
    const device = named?.name ?? familyWord(family ?? (tree.family === 'any' ? null : tree.family));
    reply.say(COPY.understood(device, tree.title.toLowerCase()));
    const customer = this.deps.gate.alreadyVerified(ctx);
    if (customer !== null) {
      await this.withDevices(ctx, reply, customer, tree, family, told);
      return;
    }
    // An email or phone in the message is a request to check the device: verify first.
    if (firstEntity(ctx, 'email') !== null || firstEntity(ctx, 'phone') !== null) {
      await this.verify(ctx, reply);
      return;
    }
    // The first step comes at once; checking the device is offered with it, not instead of it.
    reply.say(COPY.offerVerify(device));
    await this.enterTree(ctx, reply, null, tree, told);
  }

  /** "Which device is it?", typed or pressed; asked again with a hint when the answer named none. */
  private askFamily(reply: Reply, again: boolean): void {
    const families = familiesWithTrees(this.deps.knowledge.current().base.trees);
    if (again) reply.say(COPY.pickAnOption('camera'));
    reply
      .choose(COPY.whichDevice, [
        ...families.map((f) => ({ label: f === 'tv' ? 'TV' : f[0]!.toUpperCase() + f.slice(1), value: `ts-family:${f}` })),
        { label: COPY.somethingElse, value: 'intent:human_agent' },
      ])
      .step(STEPS.chooseFamily);
  }

  private async verify(ctx: FlowContext, reply: Reply): Promise<void> {
    const gate = await this.deps.gate.check(ctx, reply, { orderNumber: null, purpose: 'check your device status' });
    if (gate.status === 'verified') {
      reply.set(SLOTS.resumeAt, null);
      await this.withDevices(ctx, reply, gate.customer);
    }
  }

  /** The verified customer's devices of the tree's family: one is used, several are offered, none means no dashboard. */
  private async withDevices(
    ctx: FlowContext,
    reply: Reply,
    customer: VerifiedCustomer | null,
    tree = this.treeOf(ctx),
    family = this.family(ctx),
    told = WalkState.get(ctx.state, SLOTS.told) ?? null,
  ): Promise<void> {
    if (customer === null || tree === null) return this.enterTree(ctx, reply, null, tree ?? undefined, told);
    const sku = WalkState.get(ctx.state, SLOTS.sku) ?? null;
    const all = await customer.devices();
    const ofFamily = all.filter((d) => family === null || familyOfCategory(d.category) === family);
    const devices = sku !== null && ofFamily.some((d) => d.sku === sku) ? ofFamily.filter((d) => d.sku === sku) : ofFamily;
    if (devices.length === 1) return this.enterTree(ctx, reply, { customer, device: devices[0]! }, tree, told);
    if (devices.length === 0) {
      reply.say(COPY.noDeviceOnFile(family ?? 'device'));
      return this.enterTree(ctx, reply, null, tree, told);
    }
    reply
      .choose(
        COPY.whichOfYours,
        devices.map((d) => ({ label: `${deviceLabel(d)} · ${d.online ? 'online' : 'offline'}`.slice(0, 100), value: `ts-device:${d.serial}` })),
      )
      .step(STEPS.chooseDevice);
  }

  private family(ctx: FlowContext): DeviceFamily | null {
    const value = WalkState.get(ctx.state, SLOTS.family);
    return value !== null && isDeviceFamily(value) ? value : null;
  }

  /** Shows the dashboard first (before any question), then the tree's first node it can't answer itself. */
  private async enterTree(ctx: FlowContext, reply: Reply, owned: WalkDevice, tree = this.treeOf(ctx), volunteered = WalkState.get(ctx.state, SLOTS.told) ?? null): Promise<void> {
    if (tree === null) return this.begin(ctx, reply, null);
    const device = owned?.device ?? null;
    reply.set(SLOTS.device, device?.serial ?? null);
    if (device !== null) reply.say(describeDevice(device, ctx.now, ctx.message.timeZone ?? this.deps.shopTimeZone));
    const family = this.family(ctx) ?? (device === null ? null : familyOfCategory(device.category));
    const session = new TreeSession({ ctx, reply, tree, device, family, articleUrl: this.deps.articleUrl, fresh: true });
    const end = session.enter(tree.entry, volunteered);
    if (end.kind !== 'waiting') await finishWalk(this.deps, { ctx, reply, tree, owned, end });
  }

  private async continueWalk(ctx: FlowContext, reply: Reply): Promise<void> {
    const tree = this.treeOf(ctx);
    if (tree === null) return this.begin(ctx, reply, null);
    const serial = WalkState.get(ctx.state, SLOTS.device);
    const customer = this.deps.gate.alreadyVerified(ctx);
    const device = serial === null || customer === null ? null : await customer.device(serial);
    const owned: WalkDevice = customer !== null && device !== null ? { customer, device } : null;
    const family = this.family(ctx) ?? (device === null ? null : familyOfCategory(device.category));
    const session = new TreeSession({ ctx, reply, tree, device, family, articleUrl: this.deps.articleUrl });
    const end = session.answer();
    if (end.kind !== 'waiting') await finishWalk(this.deps, { ctx, reply, tree, owned, end });
  }
}

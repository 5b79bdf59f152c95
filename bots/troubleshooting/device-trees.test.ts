import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEVICE_FAMILIES, loadKnowledgeBase, type TroubleshootingTree } from '../../knowledge/index.js';
import type { DeviceDetails } from '../../db/devices.js';
import { ConversationHarness } from '../../test/conversation.js';
import { dashboardAnswer, describeDevice } from './dashboard.js';
import { chooseTree } from './tree-choice.js';
import { walk, type NodeAnswer } from './tree-walker.js';

const { trees } = await loadKnowledgeBase();
const tree = (id: string): TroubleshootingTree => trees.find((t) => t.id === id)!;

/** Follows answers from the entry; returns the node ids visited and how the walk ended. */
function follow(t: TroubleshootingTree, answers: readonly NodeAnswer[]): { visited: string[]; end: string } {
  let at = t.entry;
  const visited = [at];
  for (const answer of answers) {
    const next = walk(t, at, answer);
    if (next === null) throw new Error(`answer ${JSON.stringify(answer)} does not fit ${at}`);
    if (next.kind === 'fixed') return { visited, end: 'fixed' };
    at = next.id;
    visited.push(at);
  }
  const node = t.nodes[at]!;
  return { visited, end: node.kind };
}

const no: NodeAnswer = { kind: 'check', fixed: false };
const option = (index: number): NodeAnswer => ({ kind: 'option', index });

describe('troubleshooting for every device category the shop sells', () => {
  test.each(DEVICE_FAMILIES)('%s has a decision tree of its own', (family) => {
    expect(trees.filter((t) => t.family === family).map((t) => t.id)).not.toEqual([]);
  });

  test.each(['speaker-no-sound-or-wont-connect', 'tv-no-picture-or-sound', 'laptop-wont-turn-on-or-battery'])('%s can end resolved, with a repair offer, and every terminal is reachable', (id) => {
    const t = tree(id);
    const terminals = Object.entries(t.nodes).filter(([, n]) => n.kind === 'offer_repair' || n.kind === 'handoff' || n.kind === 'resolved');
    expect(terminals.map(([, n]) => n.kind)).toContain('offer_repair');
    // Every step offers "did that fix it?", so every path can end resolved.
    expect(Object.values(t.nodes).some((n) => n.kind === 'step')).toBe(true);
    // Every node's article link is one the help centre has (the loader refuses unknown ones).
    for (const node of Object.values(t.nodes)) if ('article' in node && node.article !== undefined) expect(node.article).toMatch(/^[a-z0-9-]+$/);
  });

  test.each([
    ['troubleshoot_audio', 'speaker', 'no sound from my sound max speaker', 'speaker-no-sound-or-wont-connect'],
    ['troubleshoot_pairing', 'speaker', "sound one won't pair over bluetooth", 'speaker-no-sound-or-wont-connect'],
    ['troubleshoot_device_offline', 'speaker', 'my speaker shows offline in the app', 'speaker-no-sound-or-wont-connect'],
    ['troubleshoot_audio', 'tv', 'the tv has no audio through the soundbar', 'tv-no-picture-or-sound'],
    ['troubleshoot_device_offline', 'tv', "my tv won't turn on", 'tv-no-picture-or-sound'],
    ['troubleshoot_device_offline', 'laptop', "my book 14 won't turn on", 'laptop-wont-turn-on-or-battery'],
    [null, 'laptop', 'battery drains fast', 'laptop-wont-turn-on-or-battery'],
    [null, null, 'my laptop battery drains fast', 'laptop-wont-turn-on-or-battery'],
    [null, null, 'my vision tv sound but no picture', 'tv-no-picture-or-sound'],
    ['troubleshoot_pairing', 'headphones', 'my earbuds wont connect', 'headphones-wont-connect'],
  ] as const)('%s + %s: "%s" → %s', (intent, family, text, expected) => {
    expect(chooseTree(trees, { intent, family, text })?.id).toBe(expected);
  });

  test('"no sound" with no device named is ambiguous now that speakers and TVs have trees: the flow asks which device', () => {
    expect(chooseTree(trees, { intent: 'troubleshoot_audio', family: null, text: 'no sound' })).toBeNull();
  });

  test('speaker: no sound, then restart and reset fail, ends with a warranty offer', () => {
    expect(follow(tree('speaker-no-sound-or-wont-connect'), [option(0), no, no, no])).toEqual({
      visited: ['which-problem', 'volume-and-source', 'restart-speaker', 'reset-speaker', 'offer-repair'],
      end: 'offer_repair',
    });
  });

  test('TV: a picture seen only with a flashlight is a backlight repair, straight away', () => {
    expect(follow(tree('tv-no-picture-or-sound'), [option(1), option(0)])).toEqual({ visited: ['which-problem', 'flashlight-test', 'backlight-repair'], end: 'offer_repair' });
  });

  test('TV: no power, a power cycle that helps ends resolved', () => {
    expect(follow(tree('tv-no-picture-or-sound'), [option(0), option(0), no, { kind: 'check', fixed: true }])).toEqual({
      visited: ['which-problem', 'standby-light', 'check-outlet', 'power-cycle'],
      end: 'fixed',
    });
  });

  test('laptop: a healthy battery that still drains goes to a person; a worn one to a warranty claim', () => {
    const laptop = tree('laptop-wont-turn-on-or-battery');
    expect(follow(laptop, [option(3), no, no, option(1)]).end).toBe('handoff');
    expect(follow(laptop, [option(3), no, no, option(0)])).toMatchObject({ end: 'offer_repair', visited: ['which-problem', 'battery-usage', 'update-firmware', 'battery-health', 'battery-warranty'] });
    expect(follow(laptop, [option(0), no, no, no, no]).end).toBe('offer_repair');
  });

  test('the dashboard never answers a speaker’s "what’s happening?" for the customer: no option names a device', () => {
    const speaker: DeviceDetails = {
      serial: 'SOUNDMAX-000001', customer_id: 'C1001', sku: 'VL-SOUND-MAX', nickname: null, firmware_version: '5.2.0',
      online: true, last_seen_at: new Date('2025-03-01T14:02:00Z'), registered_at: new Date('2024-11-01T00:00:00Z'),
      productName: 'Voltline Sound Max', category: 'speaker',
    };
    const t = tree('speaker-no-sound-or-wont-connect');
    expect(dashboardAnswer(t.entry, t.nodes[t.entry]!, speaker, 'speaker')).toBeNull();
  });
});

describe('the device dashboard on the customer’s clock', () => {
  const camera: DeviceDetails = {
    serial: 'CAM360-000001', customer_id: 'C1001', sku: 'VL-CAM-360', nickname: null, firmware_version: '2.4.1',
    online: false, last_seen_at: new Date('2025-03-01T14:02:00Z'), registered_at: new Date('2024-11-01T00:00:00Z'),
    productName: 'Voltline Cam 360', category: 'camera',
  };
  test.each([
    ['America/Los_Angeles', 'offline since 06:02 PST, about 3 hours ago'],
    ['Europe/Berlin', 'offline since 15:02 GMT+1, about 3 hours ago'],
    ['UTC', 'offline since 14:02 UTC, about 3 hours ago'],
  ])('last check-in shown in %s', (zone, expected) => {
    expect(describeDevice(camera, new Date('2025-03-01T17:02:00Z'), zone)).toContain(expected);
  });
});

describe('a speaker conversation through the whole pipeline', () => {
  let harness: ConversationHarness;
  beforeAll(async () => {
    harness = await ConversationHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  test('no sound from a Sound Max: the speaker steps, then (unverified) a person with the steps tried', async () => {
    const c = await harness.conversation({ channel: 'webchat' });
    // The first reply names the device and the problem and gives the first step, with the offer to check it.
    const first = await c.send('no sound from my sound max speaker').expectReply(/Press volume up on the speaker/);
    expect(first.text).toMatch(/Sound Max/);
    expect(first.text).toMatch(/check your Voltline Sound Max's status/);
    await c.press(/^No/).expectReply(/unplug it for 10 seconds/);
    await c.press(/^No/).expectReply(/Bluetooth and volume down buttons for 10 seconds/);
    const ending = await c.press(/^No/).expectReply(/needs a repair/);
    expect(ending.text).toMatch(/Restart the speaker.*\(didn't help\)/);
    await c.expectHandedOff();
  });

  test('a TV with sound but no picture, typed on a text-only channel, goes to a repair after the flashlight test', async () => {
    const c = await harness.conversation({ channel: 'text' });
    await c.send('my vision 55 tv has sound but no picture').expectReply(/flashlight/);
    await c.choose(/faintly see it/).expectReply(/needs a repair/);
    await c.expectHandedOff();

  });
});

import { describe, expect, test } from 'vitest';
import { loadKnowledgeBase, type TroubleshootingTree } from '../../knowledge/index.js';
import type { DeviceDetails } from '../../db/devices.js';
import { chooseTree } from './tree-choice.js';
import { dashboardAnswer, describeDevice } from './dashboard.js';
import { matchOption, walk } from './tree-walker.js';

const { trees } = await loadKnowledgeBase();
const tree = (id: string): TroubleshootingTree => trees.find((t) => t.id === id)!;

const camera: DeviceDetails = {
  serial: 'CAM360-000001', customer_id: 'C1001', sku: 'VL-CAM-360', nickname: 'Living room', firmware_version: '2.3.0',
  online: false, last_seen_at: new Date('2025-03-01T14:02:00Z'), registered_at: new Date('2024-11-01T00:00:00Z'),
  productName: 'Voltline Cam 360', category: 'camera',
};

describe('walking a troubleshooting tree', () => {
  test('an option of a question leads to the node it names', () => {
    expect(walk(tree('camera-offline'), 'camera-light', { kind: 'option', index: 1 })).toMatchObject({ kind: 'node', id: 'wifi-changed' });
  });

  test('"yes, that fixed it" ends the walk; "no" goes on to the next step', () => {
    expect(walk(tree('camera-offline'), 'restart-camera', { kind: 'check', fixed: true })).toEqual({ kind: 'fixed' });
    expect(walk(tree('camera-offline'), 'restart-camera', { kind: 'check', fixed: false })).toMatchObject({ kind: 'node', id: 'check-signal' });
    expect(walk(tree('camera-offline'), 'check-signal', { kind: 'check', fixed: false })).toMatchObject({ kind: 'node', node: { kind: 'offer_repair' } });
  });

  test.each([
    ['a yes/no to a question', 'camera-light', { kind: 'check', fixed: false }],
    ['an option to a step', 'restart-camera', { kind: 'option', index: 0 }],
    ['an option that does not exist', 'camera-light', { kind: 'option', index: 9 }],
    ['an unknown node', 'no-such-node', { kind: 'option', index: 0 }],
  ] as const)('an answer that does not fit is refused (%s)', (_name, node, answer) => {
    expect(walk(tree('camera-offline'), node, answer)).toBeNull();
  });

  test.each([
    ['blinking red', 1],
    ["it's off", 0],
    ['its off', 0],
    ['SOLID BLUE', 3],
    ['red', null],
    ['purple', null],
  ])('typed "%s" picks option %s', (typed, index) => {
    expect(matchOption(["It's off", 'Blinking red', 'Solid red', 'Solid blue'], typed)).toBe(index);
  });
});

describe('choosing the tree', () => {
  test.each([
    ['troubleshoot_device_offline', 'camera', 'my camera is offline', 'camera-offline'],
    ['troubleshoot_wifi', null, 'my wifi keeps dropping', 'no-internet-wifi-dropouts'],
    ['troubleshoot_pairing', 'plug', 'my plug wont pair', 'smart-plug-wont-pair'],
    ['troubleshoot_pairing', 'headphones', 'my earbuds wont connect', 'headphones-wont-connect'],
    ['troubleshoot_firmware', 'camera', 'the firmware update failed on my camera', 'firmware-update-failed'],
    ['troubleshoot_device_offline', null, 'the thermostat is not heating', 'thermostat-not-heating'],
  ] as const)('%s + %s: "%s" → %s', (intent, family, text, expected) => {
    expect(chooseTree(trees, { intent, family, text })?.id).toBe(expected);
  });

  test('a vague "my device is offline" with no device named picks no tree, so the flow asks which device', () => {
    expect(chooseTree(trees, { intent: 'troubleshoot_device_offline', family: null, text: 'my device is offline' })).toBeNull();
  });
});

describe('the device dashboard', () => {
  test('describes status, last seen and firmware against the latest', () => {
    expect(describeDevice(camera, new Date('2025-03-01T17:02:00Z'), 'UTC')).toBe(
      'Your Voltline Cam 360 “Living room” (CAM360-000001) has been offline since 14:02 UTC, about 3 hours ago; firmware 2.3.0 (latest 2.4.1).',
    );
  });

  test('answers "which kind of device?" from the registered device, and nothing it cannot know', () => {
    const firmware = tree('firmware-update-failed');
    expect(dashboardAnswer('which-device', firmware.nodes['which-device']!, camera, 'camera')).toEqual({ kind: 'option', index: 0, because: 'Your Voltline Cam 360 is a camera.' });
    const cam = tree('camera-offline');
    expect(dashboardAnswer('camera-light', cam.nodes['camera-light']!, camera, 'camera')).toBeNull();
  });

  test('skips the firmware update step only when the device already runs the latest firmware', () => {
    const router = tree('no-internet-wifi-dropouts');
    const node = router.nodes['update-firmware']!;
    const mesh = { ...camera, serial: 'MESHPRO-000002', sku: 'VL-MESH-PRO', productName: 'Voltline Mesh Pro', category: 'router', firmware_version: '3.1.4' };
    expect(dashboardAnswer('update-firmware', node, mesh, 'router')).toEqual({
      kind: 'skip_step',
      because: 'Your Voltline Mesh Pro already runs the latest firmware (3.1.4), so we can skip updating it.',
    });
    expect(dashboardAnswer('update-firmware', node, { ...mesh, firmware_version: '3.0.2' }, 'router')).toBeNull();
  });
});

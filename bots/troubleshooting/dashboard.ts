import type { DeviceDetails } from '../../db/devices.js';
import { DEVICE_MODELS } from '../../db/shop/demo-catalogue.js';
import type { DeviceFamily, TreeNode } from '../../knowledge/index.js';
import { TROUBLESHOOTING_COPY as COPY } from './copy.js';
import { FAMILY_WORDS } from './family-words.js';

const clocks = new Map<string, { clock: Intl.DateTimeFormat; day: Intl.DateTimeFormat }>();

/** "06:02 PST" and "Mar 1" on the customer's clock; formatters are built once per zone. */
function formatsFor(timeZone: string): { clock: Intl.DateTimeFormat; day: Intl.DateTimeFormat } {
  let formats = clocks.get(timeZone);
  if (formats === undefined) {
    formats = {
      clock: new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short', timeZone }),
      day: new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone }),
    };
    clocks.set(timeZone, formats);
  }
  return formats;
}

/** The newest firmware for a model, or null when the shop doesn't publish one. */
export function latestFirmware(sku: string): string | null {
  // The shop's device models are the only firmware feed the demo has; a real shop would expose it in its API.
  return DEVICE_MODELS[sku]?.latest ?? null;
}

export function deviceLabel(device: DeviceDetails): string {
  return `${device.productName}${device.nickname !== null ? ` “${device.nickname}”` : ''} (${device.serial})`;
}

function ago(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 2) return COPY.justNow;
  if (minutes < 90) return COPY.minutesAgo(minutes);
  const hours = Math.round(minutes / 60);
  return hours < 36 ? COPY.hoursAgo(hours) : COPY.daysAgo(Math.round(hours / 24));
}

function when(at: Date, now: Date, timeZone: string): string {
  const sameDay = now.getTime() - at.getTime() < 24 * 60 * 60 * 1000;
  const { clock, day } = formatsFor(timeZone);
  return `${sameDay ? '' : `${day.format(at)} `}${clock.format(at)}, ${ago(at, now)}`;
}

/**
 * What the device dashboard knows, in one sentence: "Your Voltline Cam 360 “Living room”
 * (CAM360-000001) has been offline since 06:02 PST, about 3 hours ago; firmware 2.3.0 (latest 2.4.1).",
 * on the clock of `timeZone` (the customer's, else SHOP_TIME_ZONE).
 */
export function describeDevice(device: DeviceDetails, now: Date, timeZone: string): string {
  const seen = device.last_seen_at;
  const status = device.online ? COPY.online(seen !== null ? ago(seen, now) : null) : seen !== null ? COPY.offlineSince(when(seen, now, timeZone)) : COPY.neverCheckedIn;
  const latest = latestFirmware(device.sku);
  const firmware =
    latest === null || latest === device.firmware_version
      ? COPY.firmwareCurrent(device.firmware_version, latest !== null)
      : COPY.firmwareBehind(device.firmware_version, latest);
  return COPY.dashboard(deviceLabel(device), status, firmware);
}

/** The answer the dashboard already gives to a tree node, so the customer isn't asked; `because` is said instead. */
export type DashboardAnswer = { kind: 'option'; index: number; because: string } | { kind: 'skip_step'; because: string };

/**
 * Questions the dashboard answers: "which kind of device?" when exactly one option names the
 * device's family; and a firmware-update step when the device already runs the latest firmware.
 */
export function dashboardAnswer(nodeId: string, node: TreeNode, device: DeviceDetails, family: DeviceFamily): DashboardAnswer | null {
  if (node.kind === 'question') {
    const named = node.options
      .map((o, index) => ({ index, words: o.label.toLowerCase().split(/[^a-z0-9]+/) }))
      .filter((o) => FAMILY_WORDS[family].some((w) => o.words.includes(w)));
    if (named.length !== 1) return null;
    return { kind: 'option', index: named[0]!.index, because: COPY.dashboardFamily(device.productName, family) };
  }
  if (node.kind === 'step' && /firmware/.test(nodeId) && /update/.test(nodeId)) {
    const latest = latestFirmware(device.sku);
    if (latest !== null && latest === device.firmware_version) {
      return { kind: 'skip_step', because: COPY.dashboardLatestFirmware(device.productName, latest) };
    }
  }
  return null;
}

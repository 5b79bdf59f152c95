import { ORDER_FLOW, type OrderStatus } from '../../core/order-status.js';
import { CARRIERS, DEMO_PRODUCTS, DEVICE_MODELS, FIRST_NAMES, LAST_NAMES, demoAddress, type Carrier } from './demo-catalogue.js';
import { DAY, HOUR, MINUTE, buildDemoOrder, timelineEndingAt, trackingNumber, type DemoOrderSpec } from './demo-orders.js';
import type {
  CustomerImport,
  DeviceImport,
  OrderImport,
  ProductImport,
  ShippingAddressImport,
  ShopImport,
} from './import-schema.js';
import { Prng } from './prng.js';

/**
 * Records of the demo shop that docs, tests and the demo script name. Their statuses and ages
 * are fixed relative to the moment of seeding (see docs/shop-import.md, "Demo shop").
 */
export const DEMO_FIXTURES = {
  customerId: 'C1001',
  accountId: 'A700001',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+14155550101',
  /** Delivered 120 days ago; the Mesh Pro and the Cam 360 below came in it. */
  setupOrder: '100233',
  /** Shipped with UPS yesterday, estimated delivery in 2 days. */
  shippedOrder: '100234',
  /** Delivered 5 days ago, contains a Voltline Buds ANC: inside its 30-day return window. */
  returnableOrder: '100235',
  returnableSku: 'VL-BUDS-ANC',
  /** Placed 2 hours ago, payment pending, not shipped: can still be cancelled. */
  cancellableOrder: '100236',
  orders: ['100233', '100234', '100235', '100236'],
  /** Voltline Cam 360, offline, last seen 3 hours ago, firmware 2.3.0 (behind 2.4.1). */
  offlineCameraSerial: 'CAM360-000001',
  /** Voltline Mesh Pro, online, firmware 3.1.4. */
  onlineRouterSerial: 'MESHPRO-000002',
  second: {
    customerId: 'C1002',
    accountId: 'A700002',
    name: 'Grace Hopper',
    email: 'grace@example.com',
    phone: '+14155550102',
    /** Out for delivery with USPS since 3 hours ago. */
    outForDeliveryOrder: '100300',
    /** Delivered 40 days ago, a Voltline Vision 55" TV: outside its 15-day return window. */
    expiredReturnOrder: '100301',
    expiredReturnSku: 'VL-TV-55',
    orders: ['100300', '100301'],
  },
} as const;

export const DEMO_COUNTS = { customers: 60, orders: 320, firstOrderNumber: 100_000 } as const;

const SEED = 0x5eed_b01d;
const FLOW: readonly OrderStatus[] = ORDER_FLOW;

/**
 * The whole demo shop as an import file, deterministic for a given `now`: the same PRNG seed
 * gives the same customers, orders and devices, and every time is relative to `now`.
 */
export function generateDemoShop(now: Date = new Date()): ShopImport {
  const reference = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
  const rng = new Prng(SEED);
  const products = new Map<string, ProductImport>(DEMO_PRODUCTS.map((p) => [p.sku, p]));
  const { customers, addresses } = demoCustomers(rng);
  const specs = [...fixtureOrders(reference, rng, addresses), ...generatedOrders(reference, rng, customers, addresses)];
  const orders = specs.map((spec) => buildDemoOrder(spec, products));
  const devices = [...fixtureDevices(reference), ...generatedDevices(reference, rng, orders, customers)];
  return { customers, products: [...DEMO_PRODUCTS], orders, devices };
}

function demoCustomers(rng: Prng): { customers: CustomerImport[]; addresses: Map<string, ShippingAddressImport> } {
  const f = DEMO_FIXTURES;
  const customers: CustomerImport[] = [
    { id: f.customerId, accountId: f.accountId, name: f.name, email: f.email, phone: f.phone, plan: 'premium', preferredChannel: 'webchat', vip: true },
    { id: f.second.customerId, accountId: f.second.accountId, name: f.second.name, email: f.second.email, phone: f.second.phone, plan: 'plus', preferredChannel: 'sms', vip: false },
  ];
  const addresses = new Map<string, ShippingAddressImport>([
    [f.customerId, demoAddress(12, 0, 0, 4)],
    [f.second.customerId, demoAddress(1906, 5, 8)],
  ]);
  const usedNames = new Set<string>(customers.map((c) => c.name));
  for (let n = 3; n <= DEMO_COUNTS.customers; n++) {
    let first: string;
    let last: string;
    do {
      first = rng.pick(FIRST_NAMES);
      last = rng.pick(LAST_NAMES);
    } while (usedNames.has(`${first} ${last}`));
    usedNames.add(`${first} ${last}`);
    const id = `C${1000 + n}`;
    const plan = rng.weighted([['standard', 55], ['plus', 30], ['premium', 15]] as const);
    // 555-0100…0199 is the range reserved for fiction, so no real person is ever texted.
    const phone = rng.chance(0.9) ? `+1415555${String(100 + n).padStart(4, '0')}` : null;
    const preferredChannel = phone === null ? rng.pick(['webchat', 'email'] as const) : rng.weighted([['webchat', 40], ['email', 25], ['sms', 20], ['whatsapp', 15]] as const);
    const domain = rng.pick(['example.com', 'example.org', 'example.net']);
    customers.push({
      id,
      accountId: `A${700000 + n}`,
      name: `${first} ${last}`,
      email: `${first}.${last}`.toLowerCase().replace(/[^a-z.-]/g, '') + `@${domain}`,
      phone,
      plan,
      preferredChannel,
      vip: rng.chance(plan === 'premium' ? 0.5 : 0.05),
    });
    addresses.set(id, demoAddress(rng.int(1, 4999), rng.int(0, 9), rng.int(0, 9), rng.chance(0.3) ? rng.int(1, 40) : undefined));
  }
  return { customers, addresses };
}

function fixtureOrders(now: Date, rng: Prng, addresses: ReadonlyMap<string, ShippingAddressImport>): DemoOrderSpec[] {
  const f = DEMO_FIXTURES;
  const ada = addresses.get(f.customerId) ?? demoAddress(12, 0, 0);
  const grace = addresses.get(f.second.customerId) ?? demoAddress(1906, 5, 8);
  const upTo = (status: OrderStatus) => FLOW.slice(0, FLOW.indexOf(status) + 1);
  return [
    { number: f.setupOrder, customerId: f.customerId, address: ada, items: [{ sku: 'VL-MESH-PRO', quantity: 1 }, { sku: 'VL-CAM-360', quantity: 1 }], timeline: timelineEndingAt(FLOW, now, 120 * DAY, rng), carrier: 'FedEx', trackingNumber: '612999874410' },
    { number: f.shippedOrder, customerId: f.customerId, address: ada, items: [{ sku: 'VL-SOUND-MAX', quantity: 1 }, { sku: 'VL-HDMI-2M', quantity: 2 }], timeline: timelineEndingAt(upTo('shipped'), now, DAY, rng), carrier: 'UPS', trackingNumber: '1ZV0L7L10312345678', estimatedDelivery: new Date(now.getTime() + 2 * DAY) },
    { number: f.returnableOrder, customerId: f.customerId, address: ada, items: [{ sku: f.returnableSku, quantity: 1 }, { sku: 'VL-USBC-65W', quantity: 1 }], timeline: timelineEndingAt(FLOW, now, 5 * DAY, rng), carrier: 'FedEx', trackingNumber: '612999874411' },
    { number: f.cancellableOrder, customerId: f.customerId, address: ada, items: [{ sku: 'VL-THERMO', quantity: 1 }, { sku: 'VL-THERMO-SENSOR', quantity: 2 }], timeline: timelineEndingAt(['placed'], now, 2 * HOUR, rng) },
    { number: f.second.outForDeliveryOrder, customerId: f.second.customerId, address: grace, items: [{ sku: 'VL-BOOK-14', quantity: 1 }], timeline: timelineEndingAt(upTo('out_for_delivery'), now, 3 * HOUR, rng), carrier: 'USPS', trackingNumber: '9400111899223344556677', estimatedDelivery: new Date(now.getTime() + 5 * HOUR) },
    { number: f.second.expiredReturnOrder, customerId: f.second.customerId, address: grace, items: [{ sku: f.second.expiredReturnSku, quantity: 1 }, { sku: 'VL-TV-MOUNT', quantity: 1 }], timeline: timelineEndingAt(FLOW, now, 40 * DAY, rng), carrier: 'DHL', trackingNumber: '4455667788' },
  ];
}

const STATUS_MIX: ReadonlyArray<readonly [OrderStatus, number]> = [
  ['delivered', 45], ['returned', 7], ['cancelled', 7], ['shipped', 10], ['out_for_delivery', 6], ['packed', 7], ['paid', 8], ['placed', 10],
];
const CARRIER_MIX: ReadonlyArray<readonly [Carrier, number]> = [['UPS', 35], ['FedEx', 25], ['USPS', 25], ['DHL', 15]];
/** Popularity of each SKU in a basket; small items sell more often. */
const BASKET_WEIGHT = (p: ProductImport): number =>
  ({ accessory: 6, smart_plug: 6, camera: 4, router: 3, speaker: 3, headphones: 4, thermostat: 3, tv: 1.5, laptop: 1.5, software: 2, gift_card: 2 })[p.category];

function generatedOrders(now: Date, rng: Prng, customers: readonly CustomerImport[], addresses: ReadonlyMap<string, ShippingAddressImport>): DemoOrderSpec[] {
  const fixtureNumbers = new Set<string>([...DEMO_FIXTURES.orders, ...DEMO_FIXTURES.second.orders]);
  const numbers: string[] = [];
  for (let n = DEMO_COUNTS.firstOrderNumber; numbers.length < DEMO_COUNTS.orders - fixtureNumbers.size; n++) {
    if (!fixtureNumbers.has(String(n))) numbers.push(String(n));
  }
  const buyers = customers.slice(2).map((c) => [c, rng.int(1, 6)] as const);
  const basket = DEMO_PRODUCTS.map((p) => [p, BASKET_WEIGHT(p)] as const);
  const specs: Array<Omit<DemoOrderSpec, 'number'>> = numbers.map(() => {
    const customer = rng.weighted(buyers);
    const status = rng.weighted(STATUS_MIX);
    const { path, lastAgo } = pathFor(status, rng);
    const timeline = timelineEndingAt(path, now, lastAgo, rng);
    const lines = rng.weighted([[1, 55], [2, 30], [3, 15]] as const);
    const chosen = new Map<string, ProductImport>();
    while (chosen.size < lines) {
      const p = rng.weighted(basket);
      chosen.set(p.sku, p);
    }
    const items = [...chosen.values()].map((p) => ({ sku: p.sku, quantity: ['accessory', 'smart_plug', 'gift_card'].includes(p.category) ? rng.int(1, 3) : 1 }));
    const carrier = rng.weighted(CARRIER_MIX);
    const shippedAt = timeline.find((e) => e.status === 'shipped')?.at;
    const outAt = timeline.find((e) => e.status === 'out_for_delivery')?.at;
    const estimatedDelivery =
      status === 'out_for_delivery' && outAt !== undefined ? new Date(outAt.getTime() + rng.int(6, 10) * HOUR)
      : shippedAt !== undefined ? new Date(shippedAt.getTime() + rng.int(3, 5) * DAY)
      : undefined;
    return {
      customerId: customer.id,
      address: addresses.get(customer.id) ?? demoAddress(1, 0, 0),
      items,
      timeline,
      ...(shippedAt !== undefined ? { carrier, trackingNumber: trackingNumber(carrier, rng) } : {}),
      ...(estimatedDelivery !== undefined ? { estimatedDelivery } : {}),
      ...(status === 'delivered' && rng.chance(0.05) ? { paymentStatus: 'partially_refunded' as const } : {}),
    };
  });
  // Numbers grow with the date an order was placed, as a real shop's do.
  specs.sort((a, b) => (a.timeline[0]?.at.getTime() ?? 0) - (b.timeline[0]?.at.getTime() ?? 0));
  return specs.map((spec, i) => ({ ...spec, number: numbers[i] ?? String(DEMO_COUNTS.firstOrderNumber + i) }));
}

function pathFor(status: OrderStatus, rng: Prng): { path: OrderStatus[]; lastAgo: number } {
  const upTo = (s: OrderStatus) => FLOW.slice(0, FLOW.indexOf(s) + 1);
  switch (status) {
    case 'delivered':
      return { path: upTo('delivered'), lastAgo: rng.int(1, 120) * DAY + rng.int(0, 20) * HOUR };
    case 'returned':
      return { path: [...upTo('delivered'), 'returned'], lastAgo: rng.int(1, 40) * DAY };
    case 'cancelled':
      return { path: [...FLOW.slice(0, rng.int(1, 3)), 'cancelled'], lastAgo: rng.int(1, 90) * DAY };
    case 'shipped':
      return { path: upTo('shipped'), lastAgo: rng.int(2 * 60, 48 * 60) * MINUTE };
    case 'out_for_delivery':
      return { path: upTo('out_for_delivery'), lastAgo: rng.int(10, 6 * 60) * MINUTE };
    case 'placed':
    case 'paid':
    case 'packed':
      return { path: upTo(status), lastAgo: rng.int(5, 20 * 60) * MINUTE };
    default: {
      const never: never = status;
      throw new Error(`no demo path for ${String(never)}`);
    }
  }
}

function fixtureDevices(now: Date): DeviceImport[] {
  const f = DEMO_FIXTURES;
  const registeredAt = new Date(now.getTime() - 118 * DAY).toISOString();
  return [
    { serial: f.offlineCameraSerial, customerId: f.customerId, sku: 'VL-CAM-360', nickname: 'Living room', firmwareVersion: '2.3.0', online: false, lastSeenAt: new Date(now.getTime() - 3 * HOUR).toISOString(), registeredAt },
    { serial: f.onlineRouterSerial, customerId: f.customerId, sku: 'VL-MESH-PRO', nickname: 'Main router', firmwareVersion: '3.1.4', online: true, lastSeenAt: new Date(now.getTime() - 2 * MINUTE).toISOString(), registeredAt },
  ];
}

/** Devices are registered by the customers who received them, a day or two after delivery. */
function generatedDevices(now: Date, rng: Prng, orders: readonly OrderImport[], customers: readonly CustomerImport[]): DeviceImport[] {
  const devices: DeviceImport[] = [];
  const fixtureCustomers = new Set<string>([DEMO_FIXTURES.customerId, DEMO_FIXTURES.second.customerId]);
  const register = (customerId: string, sku: string, after: number) => {
    const model = DEVICE_MODELS[sku];
    if (model === undefined) return;
    const online = rng.chance(0.85);
    const registeredAt = Math.min(after + rng.int(1, 48) * HOUR, now.getTime() - 10 * MINUTE);
    devices.push({
      serial: `${model.prefix}-${String(100 + devices.length).padStart(6, '0')}`,
      customerId,
      sku,
      nickname: rng.chance(0.7) ? rng.pick(model.nicknames) : null,
      firmwareVersion: rng.chance(0.75) ? model.latest : rng.pick(model.older),
      online,
      lastSeenAt: new Date(now.getTime() - (online ? rng.int(0, 15) * MINUTE : rng.int(3 * 60, 20 * 24 * 60) * MINUTE)).toISOString(),
      registeredAt: new Date(registeredAt).toISOString(),
    });
  };
  for (const order of orders) {
    if (order.status !== 'delivered' || fixtureCustomers.has(order.customerId)) continue;
    const deliveredAt = Date.parse(order.timeline.find((e) => e.status === 'delivered')?.at ?? order.placedAt);
    for (const item of order.items) {
      for (let unit = 0; unit < item.quantity; unit++) register(order.customerId, item.sku, deliveredAt);
    }
  }
  const owners = customers.filter((c) => !fixtureCustomers.has(c.id));
  const models = Object.keys(DEVICE_MODELS);
  while (devices.length < 60) register(rng.pick(owners).id, rng.pick(models), now.getTime() - rng.int(30, 400) * DAY);
  return devices;
}

/** Carriers the demo uses, re-exported for tests that check tracking links. */
export const DEMO_CARRIERS = Object.keys(CARRIERS) as Carrier[];

import type { ProductCategory, ProductImport, ShippingAddressImport } from './import-schema.js';

/** Policy per category; the knowledge base's return and warranty answers quote these numbers. */
const RETURN_WINDOW_DAYS: Partial<Record<ProductCategory, number>> = { tv: 15, laptop: 15 };
const WARRANTY_MONTHS: Partial<Record<ProductCategory, number>> = { accessory: 12, software: 0, gift_card: 0 };

function product(sku: string, name: string, category: ProductCategory, priceCents: number, finalSale = false): ProductImport {
  return {
    sku,
    name,
    category,
    priceCents,
    currency: 'USD',
    returnWindowDays: RETURN_WINDOW_DAYS[category] ?? 30,
    warrantyMonths: WARRANTY_MONTHS[category] ?? 24,
    finalSale,
  };
}

/** The Voltline catalogue. Names and families match the knowledge base articles. */
export const DEMO_PRODUCTS: readonly ProductImport[] = [
  product('VL-MESH-PRO', 'Voltline Mesh Pro', 'router', 34_900),
  product('VL-MESH-NODE', 'Voltline Mesh Node', 'router', 14_900),
  product('VL-CAM-360', 'Voltline Cam 360', 'camera', 12_900),
  product('VL-CAM-OUT', 'Voltline Cam Outdoor', 'camera', 17_900),
  product('VL-PLUG-MINI', 'Voltline Plug Mini', 'smart_plug', 2_499),
  product('VL-PLUG-DUO', 'Voltline Plug Duo', 'smart_plug', 3_999),
  product('VL-THERMO', 'Voltline Thermo', 'thermostat', 22_900),
  product('VL-THERMO-SENSOR', 'Voltline Thermo Sensor', 'thermostat', 3_900),
  product('VL-SOUND-ONE', 'Voltline Sound One', 'speaker', 19_900),
  product('VL-SOUND-MAX', 'Voltline Sound Max', 'speaker', 44_900),
  product('VL-BUDS-ANC', 'Voltline Buds ANC', 'headphones', 17_900),
  product('VL-OE-700', 'Voltline Over-Ear 700', 'headphones', 34_900),
  product('VL-TV-55', 'Voltline Vision 55" TV', 'tv', 89_900),
  product('VL-TV-65', 'Voltline Vision 65" TV', 'tv', 129_900),
  product('VL-BOOK-14', 'Voltline Book 14', 'laptop', 119_900),
  product('VL-BOOK-16P', 'Voltline Book 16 Pro', 'laptop', 249_900),
  product('VL-USBC-65W', 'Voltline USB-C 65W Charger', 'accessory', 4_900),
  product('VL-HDMI-2M', 'Voltline HDMI 2.1 Cable (2 m)', 'accessory', 2_900),
  product('VL-TV-MOUNT', 'Voltline Vision Wall Mount', 'accessory', 7_900),
  product('VL-BUDS-CASE', 'Voltline Buds Charging Case', 'accessory', 5_900),
  product('VL-CARE-2Y', 'Voltline Care+ 2-year plan', 'software', 14_900, true),
  product('VL-HOME-SECURE', 'Voltline Home Secure licence (1 year)', 'software', 9_900),
  product('VL-GIFT-50', 'Voltline Gift Card $50', 'gift_card', 5_000, true),
  product('VL-GIFT-100', 'Voltline Gift Card $100', 'gift_card', 10_000, true),
];

/** Products that register as a customer's smart-home device, with their current firmware and serial prefix. */
export const DEVICE_MODELS: Readonly<Record<string, { latest: string; older: readonly string[]; prefix: string; nicknames: readonly string[] }>> = {
  'VL-MESH-PRO': { latest: '3.1.4', older: ['3.0.2', '2.9.8'], prefix: 'MESHPRO', nicknames: ['Main router', 'Hallway'] },
  'VL-MESH-NODE': { latest: '3.1.4', older: ['3.0.2'], prefix: 'MESHNODE', nicknames: ['Upstairs', 'Garage', 'Basement'] },
  'VL-CAM-360': { latest: '2.4.1', older: ['2.3.0', '2.2.5'], prefix: 'CAM360', nicknames: ['Living room', 'Nursery', 'Kitchen'] },
  'VL-CAM-OUT': { latest: '2.4.1', older: ['2.3.0'], prefix: 'CAMOUT', nicknames: ['Front door', 'Driveway', 'Backyard'] },
  'VL-PLUG-MINI': { latest: '1.8.2', older: ['1.7.0'], prefix: 'PLUGMINI', nicknames: ['Desk lamp', 'Coffee maker', 'Fan'] },
  'VL-PLUG-DUO': { latest: '1.8.2', older: ['1.7.0'], prefix: 'PLUGDUO', nicknames: ['Patio lights', 'Aquarium'] },
  'VL-THERMO': { latest: '4.0.3', older: ['3.9.1'], prefix: 'THERMO', nicknames: ['Hallway thermostat'] },
  'VL-THERMO-SENSOR': { latest: '4.0.3', older: ['3.9.1'], prefix: 'THSENSOR', nicknames: ['Bedroom', 'Office'] },
  'VL-SOUND-ONE': { latest: '5.2.0', older: ['5.1.3'], prefix: 'SOUND1', nicknames: ['Kitchen speaker', 'Bedroom speaker'] },
  'VL-SOUND-MAX': { latest: '5.2.0', older: ['5.1.3'], prefix: 'SOUNDMAX', nicknames: ['Living room speaker'] },
  'VL-TV-55': { latest: '7.1.0', older: ['7.0.4'], prefix: 'TV55', nicknames: ['Bedroom TV'] },
  'VL-TV-65': { latest: '7.1.0', older: ['7.0.4'], prefix: 'TV65', nicknames: ['Living room TV'] },
};

export const FIRST_NAMES = [
  'Alan', 'Barbara', 'Claude', 'Donald', 'Edsger', 'Frances', 'Radia', 'Hedy', 'Ivan', 'Joan',
  'Katherine', 'Linus', 'Margaret', 'Niklaus', 'Mary', 'Whitfield', 'Annie', 'Dennis', 'Sophie', 'Tim',
  'Leslie', 'Vint', 'Adele', 'Ken', 'Yukihiro', 'Shafi', 'Anita', 'Jean', 'Evelyn', 'Marvin',
];
export const LAST_NAMES = [
  'Turing', 'Liskov', 'Shannon', 'Knuth', 'Dijkstra', 'Allen', 'Perlman', 'Lamarr', 'Sutherland', 'Clarke',
  'Johnson', 'Torvalds', 'Hamilton', 'Wirth', 'Keller', 'Diffie', 'Easley', 'Ritchie', 'Wilson', 'Berners-Lee',
  'Lamport', 'Cerf', 'Goldberg', 'Thompson', 'Matsumoto', 'Goldwasser', 'Borg', 'Sammet', 'Boyd', 'Minsky',
];

const STREETS = ['Market St', 'Valencia St', 'Oak Ave', 'Cedar Ln', 'Harbor Blvd', 'Maple Dr', 'Sunset Ave', 'Pine St', 'Elm Ct', 'Lakeview Rd'];
const CITIES: ReadonlyArray<readonly [city: string, region: string, postalCode: string]> = [
  ['San Francisco', 'CA', '94103'],
  ['Oakland', 'CA', '94607'],
  ['Seattle', 'WA', '98101'],
  ['Portland', 'OR', '97205'],
  ['Austin', 'TX', '78701'],
  ['Denver', 'CO', '80202'],
  ['Chicago', 'IL', '60601'],
  ['Boston', 'MA', '02108'],
  ['New York', 'NY', '10001'],
  ['Atlanta', 'GA', '30303'],
];

export function demoAddress(houseNumber: number, streetIndex: number, cityIndex: number, apartment?: number): ShippingAddressImport {
  const [city, region, postalCode] = CITIES[cityIndex % CITIES.length] ?? ['San Francisco', 'CA', '94103'];
  return {
    line1: `${houseNumber} ${STREETS[streetIndex % STREETS.length] ?? 'Market St'}`,
    ...(apartment !== undefined ? { line2: `Apt ${apartment}` } : {}),
    city,
    region,
    postalCode,
    country: 'US',
  };
}

/** Each carrier's public tracking page, so the links the bot sends really open a tracking page. */
export const CARRIERS = {
  UPS: (n: string) => `https://www.ups.com/track?tracknum=${n}`,
  FedEx: (n: string) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  USPS: (n: string) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  DHL: (n: string) => `https://www.dhl.com/us-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}`,
} as const;
export type Carrier = keyof typeof CARRIERS;

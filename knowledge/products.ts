/**
 * The device families the Voltline demo shop sells and the product names articles use.
 * The product catalogue (db/) should use the same names so that a customer's registered
 * device can filter knowledge-base answers.
 */
export const DEVICE_FAMILIES = ['router', 'camera', 'plug', 'thermostat', 'speaker', 'headphones', 'tv', 'laptop'] as const;
export type DeviceFamily = (typeof DEVICE_FAMILIES)[number];

export const PRODUCT_CATALOGUE: Readonly<Record<DeviceFamily, readonly string[]>> = {
  router: ['Voltline Mesh Pro', 'Voltline Mesh Node'],
  camera: ['Voltline Cam 360', 'Voltline Cam Outdoor'],
  plug: ['Voltline Plug Mini', 'Voltline Plug Duo'],
  thermostat: ['Voltline Thermo', 'Voltline Thermo Sensor'],
  speaker: ['Voltline Sound One', 'Voltline Sound Max'],
  headphones: ['Voltline Buds ANC', 'Voltline Over-Ear 700'],
  tv: ['Voltline Vision 55" TV', 'Voltline Vision 65" TV'],
  laptop: ['Voltline Book 14', 'Voltline Book 16 Pro'],
};

export function isDeviceFamily(value: string): value is DeviceFamily {
  return (DEVICE_FAMILIES as readonly string[]).includes(value);
}

/** The family a product name belongs to, matched case-insensitively; undefined when unknown. */
export function familyOfProduct(product: string): DeviceFamily | undefined {
  const wanted = product.trim().toLowerCase();
  for (const family of DEVICE_FAMILIES) {
    if (PRODUCT_CATALOGUE[family].some((name) => name.toLowerCase() === wanted)) return family;
  }
  return undefined;
}

/**
 * Every name an article's `products` list may use to match a filter: a family name stands for
 * each of its products, a product name for itself. Lower-cased.
 */
export function productNamesFor(filter: string): Set<string> {
  const wanted = filter.trim().toLowerCase();
  const names = new Set<string>([wanted]);
  if (isDeviceFamily(wanted)) {
    for (const name of PRODUCT_CATALOGUE[wanted]) names.add(name.toLowerCase());
  } else {
    const family = familyOfProduct(wanted);
    if (family !== undefined) names.add(family);
  }
  return names;
}

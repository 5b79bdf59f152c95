import type { CatalogueEntry } from './entities/index.js';

/**
 * The Voltline demo shop's products as the entity extractor sees them (same names as knowledge/
 * and db/). The server passes the real catalogue from the database; tests and the CLI use this.
 */
export const DEMO_CATALOGUE: readonly CatalogueEntry[] = [
  { sku: 'VL-MESH-PRO', name: 'Voltline Mesh Pro', category: 'router' },
  { sku: 'VL-MESH-NODE', name: 'Voltline Mesh Node', category: 'router' },
  { sku: 'VL-CAM-360', name: 'Voltline Cam 360', category: 'camera' },
  { sku: 'VL-CAM-OUT', name: 'Voltline Cam Outdoor', category: 'camera' },
  { sku: 'VL-PLUG-MINI', name: 'Voltline Plug Mini', category: 'smart_plug' },
  { sku: 'VL-PLUG-DUO', name: 'Voltline Plug Duo', category: 'smart_plug' },
  { sku: 'VL-THERMO', name: 'Voltline Thermo', category: 'thermostat' },
  { sku: 'VL-THERMO-S', name: 'Voltline Thermo Sensor', category: 'thermostat' },
  { sku: 'VL-SOUND-ONE', name: 'Voltline Sound One', category: 'speaker' },
  { sku: 'VL-SOUND-MAX', name: 'Voltline Sound Max', category: 'speaker' },
  { sku: 'VL-BUDS-ANC', name: 'Voltline Buds ANC', category: 'headphones' },
  { sku: 'VL-OE-700', name: 'Voltline Over-Ear 700', category: 'headphones' },
  { sku: 'VL-TV-55', name: 'Voltline Vision 55" TV', category: 'tv' },
  { sku: 'VL-TV-65', name: 'Voltline Vision 65" TV', category: 'tv' },
  { sku: 'VL-BOOK-14', name: 'Voltline Book 14', category: 'laptop' },
  { sku: 'VL-BOOK-16', name: 'Voltline Book 16 Pro', category: 'laptop' },
];

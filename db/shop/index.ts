export { DEMO_CARRIERS, DEMO_COUNTS, DEMO_FIXTURES, generateDemoShop } from './demo.js';
export { DEMO_PRODUCTS } from './demo-catalogue.js';
export { importShop, parseShopImport, validateShopImport, type ImportOptions } from './import.js';
export {
  PLANS,
  PRODUCT_CATEGORIES,
  ShopImportSchema,
  isE164PhoneNumber,
  shopImportJsonSchema,
  type Plan,
  type PreferredChannel,
  type ProductCategory,
  type ShopImport,
  type ShopImportInput,
} from './import-schema.js';
export { describeJsonError, readJsonFile } from './json-file.js';
export { seedDemoShop } from './seed.js';
export type { CollectionSummary, ImportProgress, ImportSummary } from './write.js';

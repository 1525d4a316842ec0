export { seedDemo, SeedTargetError, type SeedDemoOptions, type SeedDemoSummary } from './seed-demo.js';
export { generateDemoData } from './generate.js';
export { demoCounts, type DemoCounts } from './counts.js';
export { DEMO_ACCOUNTS, demoPasswords } from './passwords.js';
export { DEMO_CURRENCIES, CURRENCY_CODES, type DemoCurrency } from './money.js';
export { timeline, type Timeline } from './time.js';
export { RowShapeError } from './copy.js';

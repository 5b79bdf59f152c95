/** Guided device troubleshooting: choosing a tree, walking it, the device dashboard, warranty and the walk's end. */
export { chooseTree, familiesWithTrees } from './tree-choice.js';
export { matchOption, nodeOf, walk, type NodeAnswer, type OptionWords, type WalkResult } from './tree-walker.js';
export { TreeSession, NODE_STEP_PREFIX, MISSES_SLOT, readNodeAnswer, type TreeSessionInput, type WalkEnd } from './tree-session.js';
export { readFixReport, type FixReport } from './fix-report.js';
export { familyNamed, familyWord, FAMILY_WORDS } from './family-words.js';
export { TROUBLESHOOTING_COPY } from './copy.js';
export { dashboardAnswer, describeDevice, deviceLabel, latestFirmware, type DashboardAnswer } from './dashboard.js';
export { describeTried, readTried, TRIED_SLOT, TriedStepSchema, type TriedStep } from './tried-steps.js';
export type { WarrantyStatus } from '../../db/warranties.js';
export { finishWalk, type WalkDevice, type WalkEndingDeps } from './walk-ending.js';
export { OUTAGE_POLICY, tellKnownOutage, type OpenIncidents } from './outage.js';

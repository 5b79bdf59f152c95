import type { DeviceFamily, TroubleshootingTree } from '../../knowledge/index.js';
import { familyNamed } from '../troubleshooting/family-words.js';

/** Words only, spaced, so a symptom matches whole words in order ("no heat", not "no heater"). */
const spaced = (text: string): string => ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()} `;

/**
 * "my voltline thermo is on but no heat is coming out": a device of a family that has a guided
 * troubleshooting tree, and one of that tree's own symptoms said word for word. That is a
 * device problem to walk through, not a question to quote an article at, even when the NLU is
 * unsure which troubleshooting intent it is. The symptoms are the content team's (each tree's
 * `symptoms`), so nothing here copies customers' sentences.
 */
export function describesDeviceProblem(trees: readonly TroubleshootingTree[], family: DeviceFamily | null, text: string): boolean {
  const device = family ?? familyNamed(text);
  if (device === null) return false;
  const said = spaced(text);
  return trees.some((tree) => tree.family === device && tree.symptoms.some((symptom) => said.includes(spaced(symptom))));
}

import type { DeviceFamily, TroubleshootingTree } from '../../knowledge/index.js';

/** Which tree an intent means when nothing else narrows it down (content ids in knowledge/troubleshooting). */
const INTENT_TREES: Readonly<Record<string, readonly string[]>> = {
  troubleshoot_device_offline: [
    'camera-offline',
    'no-internet-wifi-dropouts',
    'smart-plug-wont-pair',
    'thermostat-not-heating',
    'speaker-no-sound-or-wont-connect',
    'headphones-wont-connect',
    'tv-no-picture-or-sound',
    'laptop-wont-turn-on-or-battery',
  ],
  troubleshoot_wifi: ['no-internet-wifi-dropouts'],
  troubleshoot_firmware: ['firmware-update-failed'],
  troubleshoot_pairing: ['smart-plug-wont-pair', 'headphones-wont-connect', 'speaker-no-sound-or-wont-connect'],
  troubleshoot_audio: ['headphones-wont-connect', 'speaker-no-sound-or-wont-connect', 'tv-no-picture-or-sound'],
};

const words = (text: string): Set<string> => new Set(text.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').split(/\s+/).filter((w) => w.length > 2));

/** Share of a symptom's words the customer used: "camera keeps going offline" covers "camera offline". */
function symptomScore(tree: TroubleshootingTree, said: Set<string>): number {
  let best = 0;
  for (const symptom of tree.symptoms) {
    const wanted = [...words(symptom)];
    if (wanted.length === 0) continue;
    best = Math.max(best, wanted.filter((w) => said.has(w)).length / wanted.length);
  }
  return best;
}

/**
 * Picks the decision tree for what the customer said. A named device family rules out trees
 * for other families; among the rest the tree whose symptoms match best wins, then the intent's
 * preference. Null when nothing fits (the flow asks which device it is).
 */
export function chooseTree(
  trees: readonly TroubleshootingTree[],
  input: { intent: string | null; family: DeviceFamily | null; text: string },
): TroubleshootingTree | null {
  const said = words(input.text);
  const preferred = input.intent === null ? [] : (INTENT_TREES[input.intent] ?? []);
  const scored = trees
    .filter((t) => input.family === null || t.family === input.family || t.family === 'any')
    .map((t) => {
      const rank = preferred.indexOf(t.id);
      const intentScore = rank === -1 ? 0 : 1 - rank / (preferred.length + 1);
      const familyScore = input.family !== null && t.family === input.family ? 1 : 0;
      return { tree: t, score: 2 * symptomScore(t, said) + intentScore + familyScore, symptoms: symptomScore(t, said), intentScore };
    })
    .filter((s) => s.symptoms >= 0.5 || s.intentScore > 0 || (input.family !== null && s.tree.family === input.family))
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (best === undefined) return null;
  // Without a family, an intent that fits several families ("my device is offline") is ambiguous unless symptoms decide.
  if (input.family === null && best.symptoms < 1 && best.tree.family !== 'any' && preferred.length > 1) return null;
  return best.tree;
}

/** Families that have a tree, for asking "which device is it?". */
export function familiesWithTrees(trees: readonly TroubleshootingTree[]): DeviceFamily[] {
  return [...new Set(trees.map((t) => t.family).filter((f): f is DeviceFamily => f !== 'any'))];
}

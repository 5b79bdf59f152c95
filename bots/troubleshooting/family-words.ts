import type { DeviceFamily } from '../../knowledge/index.js';

/** Words by which customers and a tree's options name a kind of device ("Router, camera, plug or speaker"). */
export const FAMILY_WORDS: Readonly<Record<DeviceFamily, readonly string[]>> = {
  router: ['router', 'mesh', 'wifi', 'internet'],
  camera: ['camera', 'cam'],
  plug: ['plug'],
  thermostat: ['thermostat', 'thermo', 'heating'],
  speaker: ['speaker', 'soundbar'],
  headphones: ['headphones', 'earbuds', 'buds', 'earbud', 'headset'],
  tv: ['tv', 'television'],
  laptop: ['laptop', 'notebook'],
};

/** How the flow names a device it knows only by its family: "your camera", "your Wi-Fi". */
export function familyWord(family: DeviceFamily | null): string {
  if (family === null) return 'device';
  return family === 'router' ? 'Wi-Fi' : family === 'tv' ? 'TV' : family;
}

/** The one family a typed answer names ("the camera", "my tv"), or null when it names none or several. */
export function familyNamed(text: string): DeviceFamily | null {
  const said = text.toLowerCase().replace(/[^a-z0-9 ]+/g, ' ').split(/\s+/);
  const named = (Object.keys(FAMILY_WORDS) as DeviceFamily[]).filter((f) => FAMILY_WORDS[f].some((w) => said.includes(w)));
  return named.length === 1 ? named[0]! : null;
}

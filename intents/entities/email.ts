import { entity, type EntityRecognizer } from './types.js';

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])/gu;
// Customers who were asked for their email sometimes write "jane at example dot com".
const SPELLED = /(?<![\p{L}\p{N}])([\p{L}\p{N}._%+-]+)\s+(?:at|\(at\)|\[at\])\s+([\p{L}\p{N}-]+)\s+(?:dot|\(dot\)|\[dot\])\s+(\p{L}{2,})(?![\p{L}\p{N}])/giu;

export function emailRecognizer(): EntityRecognizer {
  return {
    type: 'email',
    find(text, options) {
      const found = [...text.matchAll(EMAIL)].map((m) => {
        const raw = m[0].replace(/\.+$/, '');
        return entity('email', raw.toLowerCase(), text, m.index, m.index + raw.length, 0.97);
      });
      if (options.expecting === 'email' && found.length === 0) {
        for (const m of text.matchAll(SPELLED)) {
          found.push(entity('email', `${m[1]}@${m[2]}.${m[3]}`.toLowerCase(), text, m.index, m.index + m[0].length, 0.7));
        }
      }
      return found;
    },
  };
}

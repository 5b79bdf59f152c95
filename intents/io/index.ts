export { importCsv, exportCsv, parseCsvRows } from './csv.js';
export { importRasa, exportRasa } from './rasa.js';
export { importDialogflowZip, exportDialogflowZip, unsafeEntryName, intentNameFromDialogflow } from './dialogflowZip.js';
export { writeIntentFiles, intentToYaml } from './write.js';

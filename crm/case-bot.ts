import type { CasePlacement } from '../db/cases.js';
import type { CaseTemplates } from './case-templates.js';

/**
 * Where the bot's cases land: the template that takes their kind (repair and warranty on the
 * device fault, a carrier trace on the delivery complaint, a double charge on the billing
 * dispute), with its version, category, default priority and team, and the template fields the
 * case's details fill. Given to the effect recorder, so it runs on the commit's transaction.
 */
export function botCasePlacement(templates: CaseTemplates): CasePlacement {
  return (c) => {
    const template = templates.forKind(c.kind);
    return {
      template_id: template.id,
      template_version: template.version,
      category: template.category,
      priority: template.priority,
      team: template.team,
      fields: JSON.stringify(templates.botFields(template, c.details)),
    };
  };
}

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { detailsFromZodIssues, SwitchboardError } from '../../core/errors.js';
import { TemplateUseSchema, type TemplateUse } from '../../core/message.js';
import { parseSafeYaml } from '../../core/yaml.js';

export const TemplateParameterSchema = z.enum(['customer_name', 'shop_name', 'agent_name', 'order_number', 'status']);
export type TemplateParameter = z.infer<typeof TemplateParameterSchema>;

const TemplateSchema = z
  .strictObject({
    /** As approved in WhatsApp Manager: lower case, digits and underscores. */
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be the approved template name: lower-case letters, digits and underscores'),
    /** WhatsApp's language code of the approved translation: en_US, de, pt_BR. */
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a WhatsApp language code such as en_US or de'),
    text: z.string().min(1).max(1024),
    parameters: z.array(TemplateParameterSchema).max(10),
    /**
     * WhatsApp through Twilio: the approved Content template's SID (Twilio Console › Messaging ›
     * Content Template Builder), sent as `contentSid` with the parameters as `contentVariables`.
     */
    contentSid: z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'must be the Twilio Content SID: HX followed by 32 hex digits').optional(),
  })
  .refine((t) => t.parameters.every((_, i) => t.text.includes(`{{${i + 1}}}`)) && !t.text.includes(`{{${t.parameters.length + 1}}}`), {
    message: 'text must have one placeholder {{1}}, {{2}}, … per parameter',
    path: ['text'],
  });
export type WhatsAppTemplate = z.infer<typeof TemplateSchema>;

export const TemplatesFileSchema = z.strictObject({ templates: z.strictObject(Object.fromEntries(TemplateUseSchema.options.map((use) => [use, TemplateSchema])) as Record<TemplateUse, typeof TemplateSchema>) });

export const DEFAULT_TEMPLATES_FILE = fileURLToPath(new URL('./templates.yaml', import.meta.url));
const FIX = 'Fix it (docs/channels.md, "Templates") or unset WHATSAPP_TEMPLATES_FILE to use the shipped channels/meta/templates.yaml.';

/** The approved template of each use. */
export class WhatsAppTemplates {
  constructor(private readonly byUse: Readonly<Record<TemplateUse, WhatsAppTemplate>>) {}

  of(use: TemplateUse): WhatsAppTemplate {
    return this.byUse[use];
  }

  /** Uses without a Twilio `contentSid`: through Twilio, those templates cannot be sent. */
  withoutContentSid(): TemplateUse[] {
    return TemplateUseSchema.options.filter((use) => this.byUse[use].contentSid === undefined);
  }

  /** The template's parameters, filled from `values` in order; what the customer reads as `text`. */
  fill(use: TemplateUse, values: Partial<Record<TemplateParameter, string>>): { text: string; parameters: string[] } {
    const template = this.byUse[use];
    const parameters = template.parameters.map((p) => {
      const value = values[p]?.trim();
      if (value === undefined || value === '') throw new SwitchboardError('SB_ERR_VALIDATION', `The ${use} template needs ${p}`, [{ path: p, message: 'required by the template' }]);
      // WhatsApp refuses parameters with new lines, tabs or more than four spaces in a row.
      return value.replace(/\s+/g, ' ').slice(0, 1024);
    });
    const text = parameters.reduce((t, value, i) => t.replaceAll(`{{${i + 1}}}`, value), template.text);
    return { text, parameters };
  }
}

export function parseWhatsAppTemplates(source: string, file: string): WhatsAppTemplates {
  const yaml = parseSafeYaml(source, { maxBytes: 64 * 1024 });
  if (!yaml.ok) {
    const first = yaml.problems[0]!;
    throw new SwitchboardError('SB_ERR_CONFIG', `WhatsApp templates ${file} is not valid YAML: line ${first.line}: ${first.message}. ${FIX}`, yaml.problems.map((p) => ({ path: `${file}:${p.line}`, message: p.message })));
  }
  const parsed = TemplatesFileSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const details = detailsFromZodIssues(parsed.error.issues);
    const first = details[0];
    throw new SwitchboardError('SB_ERR_CONFIG', `WhatsApp templates ${file} is invalid: ${first?.path || '(root)'} ${first?.message ?? ''}. ${FIX}`, details.map((d) => ({ path: `${file}:${d.path}`, message: d.message })));
  }
  return new WhatsAppTemplates(parsed.data.templates);
}

/** Reads and validates the file (the shipped one by default) at start-up. */
export async function loadWhatsAppTemplates(file: string = DEFAULT_TEMPLATES_FILE): Promise<WhatsAppTemplates> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new SwitchboardError('SB_ERR_CONFIG', `WHATSAPP_TEMPLATES_FILE=${JSON.stringify(file)} can't be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}. Example: WHATSAPP_TEMPLATES_FILE=/etc/switchboard/whatsapp-templates.yaml`, [
      { path: 'WHATSAPP_TEMPLATES_FILE', message: 'file not readable' },
    ]);
  }
  return parseWhatsAppTemplates(source, file);
}

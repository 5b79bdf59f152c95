import type { Kysely, Selectable, Transaction } from 'kysely';
import { ALL_TEAMS_ROLES } from '../core/agent-api.js';
import type { CaseDetail, CaseSummary, CreateCaseBody, UpdateCaseBody } from '../core/case-api.js';
import { OPEN_CASE_STATUSES, type CaseStatus } from '../core/case-status.js';
import { SwitchboardError, type ErrorDetail } from '../core/errors.js';
import { newCaseId, refreshCaseSearch } from '../db/cases.js';
import type { CasesTable, Database } from '../db/schema.js';
import { assertCaseAccess, caseScopeOf, type CaseViewer } from './case-access.js';
import { appendTimeline, type TimelineEntry } from './case-timeline.js';
import type { CaseTemplates } from './case-templates.js';

type CaseRow = Selectable<CasesTable>;

/**
 * Cases opened from templates, their timeline and the profiles they concern
 * (docs/profiles-and-cases.md "Cases"). Every change is one transaction that writes the case,
 * its timeline entries (who and when) and its search document together; a refused change
 * stores nothing.
 */
export class CaseStore {
  constructor(
    readonly db: Kysely<Database>,
    readonly templates: CaseTemplates,
  ) {}

  /** Opens a case from a template; 422 with one detail per field (`fields.serialNumber: …`) and nothing saved on any problem. */
  async create(body: CreateCaseBody, viewer: CaseViewer): Promise<CaseDetail> {
    const template = this.templates.get(body.template);
    if (template === undefined) throw invalid([{ path: 'template', message: `is not a case template (one of ${this.templates.templates.map((t) => t.id).join(', ')})` }]);
    const checked = this.templates.validate(template, body.fields);
    const problems: ErrorDetail[] = checked.ok ? [] : [...checked.problems];
    const ids = body.profiles.map((p) => p.customerId);
    const known = ids.length === 0 ? new Set<string>() : new Set((await this.db.selectFrom('customers').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    body.profiles.forEach((p, i) => {
      if (!known.has(p.customerId)) problems.push({ path: `profiles[${i}].customerId`, message: `no profile has Customer ID ${p.customerId}` });
      if (ids.indexOf(p.customerId) !== i) problems.push({ path: `profiles[${i}].customerId`, message: 'is listed twice' });
    });
    if (!ALL_TEAMS_ROLES.includes(viewer.role) && !viewer.teams.includes(template.team)) {
      throw new SwitchboardError('SB_ERR_FORBIDDEN', `Cases of template ${template.id} belong to the ${template.team} team: only its agents, supervisors and admins may open them`);
    }
    if (problems.length > 0 || !checked.ok) throw invalid(problems);
    const id = newCaseId();
    const values = checked.values;
    const primary = body.profiles.find((p) => p.role === 'primary') ?? body.profiles[0];
    const summary = `${template.label}: ${Object.values(values).filter((v): v is string => typeof v === 'string').join(' · ')}`.slice(0, 300);
    const names = await this.customerNames(ids);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('cases')
        .values({
          id,
          customer_id: primary?.customerId ?? null,
          conversation_id: null,
          kind: template.kinds[0]!,
          status: 'new',
          summary,
          details: '{}',
          template_id: template.id,
          template_version: template.version,
          category: template.category,
          priority: template.priority,
          team: template.team,
          fields: JSON.stringify(values),
        })
        .execute();
      if (body.profiles.length > 0) {
        await trx
          .insertInto('case_profiles')
          .values(body.profiles.map((p) => ({ case_id: id, customer_id: p.customerId, role: p.role, notify: p.notify ?? true, added_by: viewer.id })))
          .execute();
      }
      await appendTimeline(trx, id, [
        { actor: viewer.id, kind: 'created', text: summary, data: { template: template.id, version: template.version } },
        ...body.profiles.map((p): TimelineEntry => ({ actor: viewer.id, kind: 'profile_linked', text: names.get(p.customerId) ?? p.customerId, data: { customerId: p.customerId, role: p.role, notify: p.notify ?? true } })),
      ]);
      await refreshCaseSearch(trx, [id]);
    });
    return this.detail(id, viewer);
  }

  /** The case row, 404 for an unknown number and 403 for another team's case. */
  async visible(number: string, viewer: CaseViewer): Promise<CaseRow> {
    const row = await this.db.selectFrom('cases').selectAll().where('id', '=', number).executeTakeFirst();
    if (row === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', `No case ${number}`);
    assertCaseAccess(viewer, row);
    return row;
  }

  /** The case with its timeline, profiles, contacts and broadcast deliveries. */
  async detail(number: string, viewer: CaseViewer): Promise<CaseDetail> {
    const row = await this.visible(number, viewer);
    const [timeline, profiles, contacts, deliveries, csat] = await Promise.all([
      this.db.selectFrom('case_timeline').selectAll().where('case_id', '=', row.id).orderBy('id').execute(),
      this.db
        .selectFrom('case_profiles as cp')
        .innerJoin('customers as c', 'c.id', 'cp.customer_id')
        .select(['cp.customer_id', 'c.name', 'cp.role', 'cp.notify'])
        .where('cp.case_id', '=', row.id)
        .orderBy('cp.added_at')
        .orderBy('cp.customer_id')
        .execute(),
      this.db.selectFrom('case_contacts').selectAll().where('case_id', '=', row.id).orderBy('at').execute(),
      this.db.selectFrom('case_deliveries').selectAll().where('case_id', '=', row.id).orderBy('created_at').orderBy('customer_id').execute(),
      this.db.selectFrom('case_csat').selectAll().where('case_id', '=', row.id).orderBy('asked_at').orderBy('id').execute(),
    ]);
    const people = await this.userNames([...timeline.map((t) => t.actor), ...(row.assignee_id !== null ? [row.assignee_id] : [])]);
    return {
      case: { ...summaryOf(row), fields: parsedJson(row.fields), assigneeName: row.assignee_id !== null ? (people.get(row.assignee_id) ?? null) : null },
      timeline: timeline.map((t) => ({ at: iso(t.at), actor: t.actor, actorName: people.get(t.actor) ?? null, kind: t.kind as CaseDetail['timeline'][number]['kind'], text: t.text, data: parsedJson(t.data) })),
      profiles: profiles.map((p) => ({ customerId: p.customer_id, name: p.name, role: p.role, notify: p.notify })),
      contacts: contacts.map((c) => ({ conversationId: c.conversation_id, at: iso(c.at), by: c.by })),
      deliveries: deliveries.map((d) => ({ id: d.id, broadcastId: d.broadcast_id, customerId: d.customer_id, transport: d.transport, recipient: d.recipient, status: d.status, reason: d.reason, at: iso(d.updated_at) })),
      csat: csat.map((q) => ({
        id: q.id,
        customerId: q.customer_id,
        transport: q.transport,
        recipient: q.recipient,
        status: q.status,
        reason: q.reason,
        score: q.score,
        comment: q.comment,
        askedAt: iso(q.asked_at),
        ratedAt: q.rated_at !== null ? iso(q.rated_at) : null,
      })),
    };
  }

  /** The profile's cases the viewer may see: open ones first (the console offers them before a new one), newest first. */
  async forProfile(customerId: string, viewer: CaseViewer): Promise<Array<CaseSummary & { role: 'primary' | 'affected' | 'cc'; open: boolean }>> {
    const scope = caseScopeOf(viewer);
    let query = this.db
      .selectFrom('cases')
      .innerJoin('case_profiles as cp', 'cp.case_id', 'cases.id')
      .selectAll('cases')
      .select('cp.role')
      .where('cp.customer_id', '=', customerId);
    if (scope !== null) query = query.where((eb) => eb.or([eb('cases.team', 'is', null), ...(scope.length > 0 ? [eb('cases.team', 'in', [...scope])] : [])]));
    const rows = await query.orderBy('cases.updated_at', 'desc').orderBy('cases.id').limit(200).execute();
    const open = (status: CaseStatus): boolean => OPEN_CASE_STATUSES.includes(status);
    return rows
      .map((r) => ({ ...summaryOf(r), role: r.role, open: open(r.status) }))
      .sort((a, b) => Number(b.open) - Number(a.open));
  }

  /**
   * Changes status, priority, assignee, fields; adds a note or an attachment: each a timeline entry with who and when.
   * `onResolved` runs on the same transaction when this change resolves the case (the satisfaction question), with the
   * id of the resolving `status_changed` entry.
   */
  async update(number: string, body: UpdateCaseBody, viewer: CaseViewer, onResolved?: (trx: Transaction<Database>, caseId: string, resolutionEntry: string) => Promise<void>): Promise<CaseDetail> {
    const found = await this.visible(number, viewer);
    const template = found.template_id !== null ? this.templates.get(found.template_id) : undefined;
    let assigneeName: string | null = null;
    if (body.assignee !== undefined && body.assignee !== null) {
      assigneeName = await this.assertAssignable(body.assignee, found.team);
    }
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('cases').selectAll().where('id', '=', found.id).forUpdate().executeTakeFirstOrThrow();
      const entries: TimelineEntry[] = [];
      const set: Record<string, unknown> = {};
      if (body.status !== undefined && body.status !== row.status) {
        set.status = body.status;
        entries.push({ actor: viewer.id, kind: 'status_changed', text: `${row.status} → ${body.status}`, data: { from: row.status, to: body.status } });
      }
      if (body.priority !== undefined && body.priority !== row.priority) {
        set.priority = body.priority;
        entries.push({ actor: viewer.id, kind: 'priority_changed', text: `${row.priority} → ${body.priority}`, data: { from: row.priority, to: body.priority } });
      }
      if (body.assignee !== undefined && body.assignee !== row.assignee_id) {
        set.assignee_id = body.assignee;
        entries.push({ actor: viewer.id, kind: 'assigned', text: assigneeName ?? 'unassigned', data: { from: row.assignee_id, to: body.assignee } });
      }
      if (body.fields !== undefined) {
        const before = parsedJson(row.fields);
        const merged = { ...before, ...body.fields };
        let values: Record<string, unknown> = merged;
        if (template !== undefined) {
          const checked = this.templates.validate(template, pickTemplateFields(template.fields.map((f) => f.key), merged, body.fields));
          if (!checked.ok) throw invalid(checked.problems);
          values = { ...before, ...checked.values };
          for (const key of Object.keys(before)) if (template.fields.some((f) => f.key === key) && checked.values[key] === undefined) delete values[key];
        }
        const changed = [...new Set([...Object.keys(before), ...Object.keys(values)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(values[k]));
        if (changed.length > 0) {
          set.fields = JSON.stringify(values);
          for (const key of changed) {
            const label = template?.fields.find((f) => f.key === key)?.label ?? key;
            entries.push({ actor: viewer.id, kind: 'field_changed', text: `${label}: ${display(values[key])}`, data: { field: key, from: before[key] ?? null, to: values[key] ?? null } });
          }
        }
      }
      if (body.note !== undefined) entries.push({ actor: viewer.id, kind: 'note', text: body.note });
      if (body.attachment !== undefined) entries.push({ actor: viewer.id, kind: 'attachment', text: body.attachment.title, data: { url: body.attachment.url, title: body.attachment.title } });
      if (Object.keys(set).length > 0) await trx.updateTable('cases').set(set).where('id', '=', row.id).execute();
      await appendTimeline(trx, row.id, entries);
      if (onResolved !== undefined && set.status === 'resolved') {
        const entry = await trx.selectFrom('case_timeline').select('id').where('case_id', '=', row.id).where('kind', '=', 'status_changed').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
        await onResolved(trx, row.id, String(entry.id));
      }
      await refreshCaseSearch(trx, [row.id]);
    });
    return this.detail(found.id, viewer);
  }

  /** Links a profile to the case with a role (again: the role and notify flag change). */
  async linkProfile(number: string, link: { customerId: string; role: 'primary' | 'affected' | 'cc'; notify?: boolean | undefined }, viewer: CaseViewer): Promise<CaseDetail> {
    const row = await this.visible(number, viewer);
    const customer = await this.db.selectFrom('customers').select(['id', 'name']).where('id', '=', link.customerId).executeTakeFirst();
    if (customer === undefined) throw invalid([{ path: 'customerId', message: `no profile has Customer ID ${link.customerId}` }]);
    const notify = link.notify ?? true;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('case_profiles')
        .values({ case_id: row.id, customer_id: customer.id, role: link.role, notify, added_by: viewer.id })
        .onConflict((oc) => oc.columns(['case_id', 'customer_id']).doUpdateSet({ role: link.role, notify }))
        .execute();
      if (link.role === 'primary' && row.customer_id === null) await trx.updateTable('cases').set({ customer_id: customer.id }).where('id', '=', row.id).execute();
      await appendTimeline(trx, row.id, [{ actor: viewer.id, kind: 'profile_linked', text: customer.name, data: { customerId: customer.id, role: link.role, notify } }]);
      await refreshCaseSearch(trx, [row.id]);
    });
    return this.detail(row.id, viewer);
  }

  private async assertAssignable(userId: string, team: string | null): Promise<string> {
    const user = await this.db.selectFrom('users').select(['id', 'display_name', 'role']).where('id', '=', userId).executeTakeFirst();
    const teams = user === undefined ? [] : (await this.db.selectFrom('user_teams').select('team').where('user_id', '=', userId).execute()).map((t) => t.team);
    const fits = user !== undefined && user.role !== 'editor' && (ALL_TEAMS_ROLES.includes(user.role) || team === null || teams.includes(team));
    if (!fits) throw invalid([{ path: 'assignee', message: `is not a console user of the case's team${team !== null ? ` (${team})` : ''}` }]);
    return user.display_name;
  }

  private async customerNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('customers').select(['id', 'name']).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  private async userNames(ids: readonly string[]): Promise<Map<string, string>> {
    const real = [...new Set(ids)].filter((id) => id !== 'bot' && id !== 'system' && id !== 'customer');
    if (real.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', real).execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }
}

/** The fields a PATCH validates: the template's, filled from the case's values with the body on top (unknown body keys stay, to be refused). */
function pickTemplateFields(keys: readonly string[], merged: Record<string, unknown>, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (merged[key] !== undefined) out[key] = merged[key];
  for (const key of Object.keys(body)) out[key] = body[key];
  return out;
}

export function summaryOf(row: CaseRow): CaseSummary {
  return {
    number: row.id,
    template: row.template_id,
    templateVersion: row.template_version,
    category: row.category,
    kind: row.kind,
    status: row.status,
    priority: row.priority,
    team: row.team,
    assigneeId: row.assignee_id,
    summary: row.summary,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function invalid(problems: readonly ErrorDetail[]): SwitchboardError {
  const first = problems[0];
  return new SwitchboardError('SB_ERR_VALIDATION', first === undefined ? 'The case is invalid' : `${first.path}: ${first.message}; nothing was saved`, [...problems], { status: 422 });
}

function parsedJson(value: unknown): Record<string, unknown> {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

function display(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(cleared)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

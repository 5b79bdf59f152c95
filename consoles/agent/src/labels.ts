/** How the console names a handoff reason (the log keeps the code). */
const REASONS: Record<string, string> = {
  customer_asked: 'Asked for a person',
  complaint: 'Complaint',
  transferred: 'Transferred',
  unassigned: 'Back in the queue',
};

export function reasonLabel(reason: string): string {
  return REASONS[reason] ?? reason.replace(/_/g, ' ');
}

export function since(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** How the console names where a conversation stands against its SLA. */
export function slaLabel(status: 'on_track' | 'at_risk' | 'breached'): string {
  return status === 'on_track' ? 'on track' : status === 'at_risk' ? 'at risk' : 'breached';
}

import type { ReturnStatus } from '../../core/return-status.js';
import { RETURNS_COPY_EN } from '../copy/returns.js';

/** The words the articles (where-is-my-refund.md) use for each return status; kept in the catalogue. */
export const RETURN_STATUS_LABEL: Record<ReturnStatus, string> = RETURNS_COPY_EN.statusLabel;

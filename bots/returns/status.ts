import type { ReturnStatus } from '../../core/return-status.js';

/** The words the articles (where-is-my-refund.md) use for each return status. */
export const RETURN_STATUS_LABEL: Record<ReturnStatus, string> = {
  requested: 'Return started',
  label_issued: 'Return started, label issued',
  in_transit: 'In transit to us',
  received: 'Received at our warehouse',
  refunded: 'Refund issued',
  exchanged: 'Exchange shipped',
  rejected: 'Return rejected',
};

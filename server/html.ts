/** Pages and channels share one escaper; it lives in core so channels can use it too. */
export { escapeHtml } from '../core/html.js';

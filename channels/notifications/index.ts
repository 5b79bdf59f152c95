export { NotificationRouter, type NotificationRoutes } from './notification-router.js';

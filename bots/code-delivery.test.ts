import { describe, expect, test } from 'vitest';
import type { Notification } from '../core/notifier.js';
import { CodeDelivery, type DeliveryFailure } from './code-delivery.js';

const CODE: Notification = { transport: 'email', to: 'ada@example.com', subject: 'Your code', body: 'Your code is 123456.' };

describe('code delivery', () => {
  test('hands the code over after the caller has moved on, and settles once it is sent', async () => {
    const sent: Notification[] = [];
    const delivery = new CodeDelivery({ send: async (n) => void sent.push(n) }, () => undefined);
    delivery.send(CODE);
    expect(sent).toEqual([]);
    await delivery.settled();
    expect(sent).toEqual([CODE]);
  });

  test('a failed send is reported with the transport and error code only: no address, code or error text', async () => {
    const failures: DeliveryFailure[] = [];
    const error = Object.assign(new Error('connect ECONNREFUSED for ada@example.com: Your code is 123456'), { code: 'ECONNREFUSED' });
    const delivery = new CodeDelivery({ send: () => Promise.reject(error) }, (f) => failures.push(f));
    delivery.send(CODE);
    await delivery.settled();
    expect(failures).toEqual([{ transport: 'email', error: 'ECONNREFUSED' }]);
    expect(JSON.stringify(failures)).not.toMatch(/ada@|123456/);
  });
});

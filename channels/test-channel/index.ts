export { testChannelConnector, testChannelDocs, TestChannelAckSchema, TEST_CHANNEL_CAPABILITIES, type TestChannelOptions } from './connector.js';
export { signTestChannelRequest, verifyTestChannelSignature, TEST_SIGNATURE_HEADER, TEST_TIMESTAMP_HEADER } from './signature.js';
export { TestChannelSender } from './sender.js';
export * from './wire.js';

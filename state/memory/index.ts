export { createMemoryBackend, type MemoryBackendOptions } from './backend.js';
export { MemorySpace } from './space.js';

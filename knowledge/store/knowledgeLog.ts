/** Where the knowledge store reports what it did and what it refused (the server's logger). */
export interface KnowledgeLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

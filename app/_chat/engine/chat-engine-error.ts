/** A failed chat command. `code` is a translation key under the "chat.errors" namespace. */
export class ChatEngineError extends Error {
  constructor(
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(code, options);
    this.name = "ChatEngineError";
  }
}

export function chatErrorCode(error: unknown): string {
  return error instanceof ChatEngineError ? error.code : "chat_unexpected";
}

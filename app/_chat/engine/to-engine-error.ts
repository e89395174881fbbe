// A failed command's error as the UI's code (a translation key under "chat.errors"): the network,
// rate limits and blocks have their own codes; anything else is "chat_unexpected".
import { serverErrorOf } from "./api-errors";
import { ChatEngineError } from "./chat-engine-error";

export function toEngineError(error: unknown): ChatEngineError {
  if (error instanceof ChatEngineError) return error;
  const { code, appCode, network } = serverErrorOf(error);
  if (network || (error instanceof TypeError && /fetch/i.test(error.message))) return new ChatEngineError("chat_offline", { cause: error });
  if (code === "TOO_MANY_REQUESTS") return new ChatEngineError("chat_rate_limited", { cause: error });
  if (appCode === "BLOCKED") return new ChatEngineError("chat_blocked", { cause: error });
  return new ChatEngineError("chat_unexpected", { cause: error });
}

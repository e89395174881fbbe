// The log-out call, loaded when the button is pressed (log-out-button.tsx).
import { createHttpCaller } from "@/app/_shared/trpc/http-caller";

export async function callLogOut(): Promise<void> {
  await createHttpCaller("/api/trpc").mutation("auth.logOut", undefined);
}

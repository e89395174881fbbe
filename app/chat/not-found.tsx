import { NotFoundCard } from "@/app/_shared/ui/not-found-card";

/** A conversation address that cannot be one (a malformed handle or group), inside Messages' frame. */
export default function ChatNotFound() {
  return <NotFoundCard />;
}

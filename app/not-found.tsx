import { NotFoundCard } from "@/app/_shared/ui/not-found-card";
import { PlainFrame } from "@/app/_shared/ui/plain-frame";

/** An address nothing answers (and, with HEARTH_APP=chat, every page of the social site). */
export default function NotFound() {
  return (
    <PlainFrame>
      <NotFoundCard />
    </PlainFrame>
  );
}

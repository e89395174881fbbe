import { NotFoundCard } from "@/app/_shared/ui/not-found-card";

/** A profile, post or hashtag that does not exist (or is hidden), inside the social shell. */
export default function SocialNotFound() {
  return <NotFoundCard />;
}

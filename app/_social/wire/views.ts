// The social views as the browser receives them (dates as ISO strings; see app/_shared/trpc/wire.ts).
import type { Wire } from "@/app/_shared/trpc/wire";
import type * as Notifications from "@/server/data/social/notifications";
import type * as Posts from "@/server/data/social/post-views";
import type * as Stories from "@/server/data/social/stories";
import type * as Timelines from "@/server/data/social/timelines";

export type AuthorView = Wire<Posts.AuthorView>;
export type MediaView = Wire<Posts.MediaView>;
export type PostView = Wire<Posts.PostView>;
export type QuotedPostView = Wire<Posts.QuotedPostView>;
export type TimelinePage = Wire<Timelines.TimelinePage>;
export type TimelineEntry = Wire<Timelines.TimelineEntry>;
export type ThreadView = Wire<Timelines.ThreadView>;
export type StoryReel = Wire<Stories.StoryReel>;
export type StoryView = Wire<Stories.StoryView>;
export type NotificationGroup = Wire<Notifications.NotificationGroup>;
export type NotificationKind = Notifications.NotificationKind;

// The social domain: posts, timelines, people, search, notifications and stories.
import "server-only";
import { createTRPCRouter } from "../../trpc";
import { notificationsRouter, searchRouter, storiesRouter } from "./activity-router";
import { peopleRouter } from "./people-router";
import { postsRouter } from "./posts-router";
import { publicRouter } from "./public-router";
import { timelineRouter } from "./timeline-router";

export const socialRouter = createTRPCRouter({
  posts: postsRouter,
  timeline: timelineRouter,
  people: peopleRouter,
  search: searchRouter,
  notifications: notificationsRouter,
  stories: storiesRouter,
  public: publicRouter,
});

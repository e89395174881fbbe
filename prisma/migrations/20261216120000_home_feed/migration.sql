-- Home feeds, fanned out on write (issue 15): each person's home timeline as rows of its own, so a
-- page is one index range scan instead of a merge over every followed account at read time.
-- PostgreSQL triggers keep it, so every way a post, repost or follow is written (the app, the
-- seeders, the tests) keeps it too:
--   a post or repost goes into the feeds of its author (reposter) and of everyone following them;
--   a follow copies the newest entries of the followed account into the follower's feed;
--   an unfollow (a block ends follows too) takes them out; a deleted repost takes its entries out;
--   a deleted post or account takes its entries out through the foreign keys.
-- Invariant: a feed holds every entry of its owner's home timeline sorted at or after its
-- `complete_since` (it may hold more: mutes, deactivations and the visibility of reposted posts
-- are applied when it is read). Older pages are read the fan-in way (timelines.ts).

-- CreateTable
CREATE TABLE "home_feeds" (
    "owner_id" UUID NOT NULL,
    "complete_since" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "home_feeds_pkey" PRIMARY KEY ("owner_id")
);

-- CreateTable
CREATE TABLE "home_feed_entries" (
    "owner_id" UUID NOT NULL,
    "sort_at" TIMESTAMPTZ(3) NOT NULL,
    "post_id" UUID NOT NULL,
    "reposter_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,

    CONSTRAINT "home_feed_entries_pkey" PRIMARY KEY ("owner_id","post_id","reposter_id")
);

-- CreateIndex
CREATE INDEX "home_feed_entries_page_idx" ON "home_feed_entries"("owner_id", "sort_at" DESC, "post_id" DESC, "reposter_id" DESC, "source_id");

-- CreateIndex
CREATE INDEX "home_feed_entries_post_id_idx" ON "home_feed_entries"("post_id");

-- AddForeignKey
ALTER TABLE "home_feeds" ADD CONSTRAINT "home_feeds_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "home_feed_entries" ADD CONSTRAINT "home_feed_entries_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "home_feed_entries" ADD CONSTRAINT "home_feed_entries_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Fan-out on write. The nil UUID as reposter marks a post's own entry (keys cannot hold NULL).
CREATE FUNCTION home_feed_add_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO home_feed_entries (owner_id, sort_at, post_id, reposter_id, source_id)
  SELECT f.follower_id, NEW.created_at, NEW.id, '00000000-0000-0000-0000-000000000000'::uuid, NEW.author_id FROM follows f WHERE f.followee_id = NEW.author_id
  UNION ALL SELECT NEW.author_id, NEW.created_at, NEW.id, '00000000-0000-0000-0000-000000000000'::uuid, NEW.author_id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION home_feed_add_repost() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO home_feed_entries (owner_id, sort_at, post_id, reposter_id, source_id)
  SELECT f.follower_id, NEW.created_at, NEW.post_id, NEW.user_id, NEW.user_id FROM follows f WHERE f.followee_id = NEW.user_id
  UNION ALL SELECT NEW.user_id, NEW.created_at, NEW.post_id, NEW.user_id, NEW.user_id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION home_feed_remove_repost() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM home_feed_entries WHERE post_id = OLD.post_id AND reposter_id = OLD.user_id;
  RETURN NULL;
END $$;

-- A follow copies the followed account's newest 200 entries. When it has more, the follower's
-- feed is complete only from the oldest copied one on (ties at that instant may be missing, hence
-- the millisecond), and older pages are read the fan-in way.
CREATE FUNCTION home_feed_add_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  copied integer;
  oldest timestamptz(3);
BEGIN
  WITH newest AS (
    SELECT e.sort_at, e.post_id, e.reposter_id FROM (
      (SELECT p.created_at AS sort_at, p.id AS post_id, '00000000-0000-0000-0000-000000000000'::uuid AS reposter_id
       FROM posts p WHERE p.author_id = NEW.followee_id ORDER BY p.created_at DESC, p.id DESC LIMIT 201)
      UNION ALL
      (SELECT r.created_at, r.post_id, NEW.followee_id FROM reposts r WHERE r.user_id = NEW.followee_id ORDER BY r.created_at DESC LIMIT 201)
    ) e ORDER BY e.sort_at DESC LIMIT 201
  ),
  added AS (
    INSERT INTO home_feed_entries (owner_id, sort_at, post_id, reposter_id, source_id)
    SELECT NEW.follower_id, n.sort_at, n.post_id, n.reposter_id, NEW.followee_id FROM newest n
    ON CONFLICT DO NOTHING
  )
  SELECT count(*), min(n.sort_at) INTO copied, oldest FROM newest n;
  IF copied > 200 THEN
    UPDATE home_feeds SET complete_since = greatest(complete_since, oldest + interval '1 millisecond') WHERE owner_id = NEW.follower_id;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION home_feed_remove_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM home_feed_entries WHERE owner_id = OLD.follower_id AND source_id = OLD.followee_id;
  RETURN NULL;
END $$;

-- A new account's feed is complete from the start: it holds nothing yet, and follows fill it.
CREATE FUNCTION home_feed_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO home_feeds (owner_id, complete_since) VALUES (NEW.id, '-infinity') ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER "home_feed_add_post" AFTER INSERT ON "posts" FOR EACH ROW EXECUTE FUNCTION home_feed_add_post();
CREATE TRIGGER "home_feed_add_repost" AFTER INSERT ON "reposts" FOR EACH ROW EXECUTE FUNCTION home_feed_add_repost();
CREATE TRIGGER "home_feed_remove_repost" AFTER DELETE ON "reposts" FOR EACH ROW EXECUTE FUNCTION home_feed_remove_repost();
CREATE TRIGGER "home_feed_add_follow" AFTER INSERT ON "follows" FOR EACH ROW EXECUTE FUNCTION home_feed_add_follow();
CREATE TRIGGER "home_feed_remove_follow" AFTER DELETE ON "follows" FOR EACH ROW EXECUTE FUNCTION home_feed_remove_follow();
CREATE TRIGGER "home_feed_create" AFTER INSERT ON "users" FOR EACH ROW EXECUTE FUNCTION home_feed_create();

-- Builds every feed afresh from `since` on (existing data here; the demo-world generator after a
-- bulk load, which it makes with these triggers off).
CREATE FUNCTION home_feed_rebuild(since timestamptz) RETURNS void LANGUAGE sql AS $$
  DELETE FROM home_feed_entries;
  DELETE FROM home_feeds;
  INSERT INTO home_feeds (owner_id, complete_since) SELECT id, since FROM users;
  INSERT INTO home_feed_entries (owner_id, sort_at, post_id, reposter_id, source_id)
  SELECT f.follower_id, p.created_at, p.id, '00000000-0000-0000-0000-000000000000'::uuid, p.author_id
  FROM posts p JOIN follows f ON f.followee_id = p.author_id WHERE p.created_at >= since
  UNION ALL
  SELECT p.author_id, p.created_at, p.id, '00000000-0000-0000-0000-000000000000'::uuid, p.author_id FROM posts p WHERE p.created_at >= since
  UNION ALL
  SELECT f.follower_id, r.created_at, r.post_id, r.user_id, r.user_id
  FROM reposts r JOIN follows f ON f.followee_id = r.user_id WHERE r.created_at >= since
  UNION ALL
  SELECT r.user_id, r.created_at, r.post_id, r.user_id, r.user_id FROM reposts r WHERE r.created_at >= since;
$$;

-- Existing accounts: complete for the last day; older pages are read the fan-in way.
SELECT home_feed_rebuild(now() - interval '1 day');

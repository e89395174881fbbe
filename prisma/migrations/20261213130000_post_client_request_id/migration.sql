-- A post's client request id (issue 16, no loss under faults): the composer names each post it
-- sends, so a retry after a lost answer (a crash, a dropped connection) returns the post the first
-- attempt stored instead of storing it twice. Unique per author; null for posts from before.

-- AlterTable
ALTER TABLE "posts" ADD COLUMN "client_request_id" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "posts_author_id_client_request_id_key" ON "posts"("author_id", "client_request_id");

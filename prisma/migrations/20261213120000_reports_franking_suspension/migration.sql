-- Reports (issue 13, item 9). A chat envelope may carry its franking tag, sealed under a key only
-- its recipient device can derive (docs/e2ee-protocol.md, "Message franking"); a reported message
-- is stored, with its verdict, in chat_message_reports, the only table that ever holds a message's
-- plaintext; posts and profiles are reported into social_reports; an operator may suspend an
-- account. Nothing exists yet, so no rows are converted.

-- AlterTable
ALTER TABLE "chat_envelopes" ADD COLUMN "franking" BYTEA;

-- AlterTable
ALTER TABLE "users" ADD COLUMN "suspended_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "chat_message_reports" (
    "id" UUID NOT NULL,
    "reporter_id" UUID NOT NULL,
    "claimed_sender_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "delivered_at" TIMESTAMPTZ(3) NOT NULL,
    "franking_tag" BYTEA NOT NULL,
    "verdict" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "note" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dismissed_at" TIMESTAMPTZ(3),

    CONSTRAINT "chat_message_reports_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "chat_message_reports_verdict_check" CHECK ("verdict" IN ('verified', 'commitment_mismatch', 'tag_mismatch', 'replayed')),
    CONSTRAINT "chat_message_reports_reason_check" CHECK ("reason" IN ('spam', 'harassment', 'other'))
);

-- CreateTable
CREATE TABLE "social_reports" (
    "id" UUID NOT NULL,
    "reporter_id" UUID NOT NULL,
    "subject_id" UUID NOT NULL,
    "post_id" UUID,
    "reason" TEXT NOT NULL,
    "note" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dismissed_at" TIMESTAMPTZ(3),

    CONSTRAINT "social_reports_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "social_reports_reason_check" CHECK ("reason" IN ('spam', 'harassment', 'other'))
);

-- CreateIndex
CREATE INDEX "chat_message_reports_created_at_idx" ON "chat_message_reports"("created_at");

-- CreateIndex
CREATE INDEX "chat_message_reports_reporter_id_idx" ON "chat_message_reports"("reporter_id");

-- CreateIndex
CREATE INDEX "chat_message_reports_claimed_sender_id_idx" ON "chat_message_reports"("claimed_sender_id");

-- A message is verified once: a second report with the same tag is a replay (not in the Prisma
-- schema, which cannot express a partial index).
CREATE UNIQUE INDEX "chat_message_reports_verified_tag_key" ON "chat_message_reports"("franking_tag") WHERE "verdict" = 'verified';

-- CreateIndex
CREATE INDEX "social_reports_created_at_idx" ON "social_reports"("created_at");

-- CreateIndex
CREATE INDEX "social_reports_reporter_id_idx" ON "social_reports"("reporter_id");

-- CreateIndex
CREATE INDEX "social_reports_subject_id_idx" ON "social_reports"("subject_id");

-- CreateIndex
CREATE INDEX "social_reports_post_id_idx" ON "social_reports"("post_id");

-- AddForeignKey
ALTER TABLE "chat_message_reports" ADD CONSTRAINT "chat_message_reports_reporter_id_fkey" FOREIGN KEY ("reporter_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_message_reports" ADD CONSTRAINT "chat_message_reports_claimed_sender_id_fkey" FOREIGN KEY ("claimed_sender_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "social_reports" ADD CONSTRAINT "social_reports_reporter_id_fkey" FOREIGN KEY ("reporter_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "social_reports" ADD CONSTRAINT "social_reports_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "social_reports" ADD CONSTRAINT "social_reports_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- DropIndex
DROP INDEX "reposts_user_id_created_at_idx";

-- CreateIndex
CREATE INDEX "reposts_user_id_created_at_post_id_idx" ON "reposts"("user_id", "created_at" DESC, "post_id");

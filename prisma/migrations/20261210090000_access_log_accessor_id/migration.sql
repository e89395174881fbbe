-- AlterTable
ALTER TABLE "access_log" ADD COLUMN     "accessor_id" UUID;

-- CreateIndex
CREATE INDEX "access_log_accessor_id_idx" ON "access_log"("accessor_id");

-- AddForeignKey
ALTER TABLE "access_log" ADD CONSTRAINT "access_log_accessor_id_fkey" FOREIGN KEY ("accessor_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Entries that named who looked kept their handle as text, which outlived a purged account and
-- would have named the next owner of the handle. Keep the account that held the handle when the
-- entry was written (an account created later cannot have looked), then forget every such text.
UPDATE "access_log" AS a SET "accessor_id" = u."id"
FROM "users" AS u
WHERE a."action" IN ('found_by_email', 'presence_shown')
  AND a."detail" = '@' || u."handle"
  AND u."created_at" <= a."created_at";

UPDATE "access_log" SET "detail" = NULL WHERE "action" IN ('found_by_email', 'presence_shown');

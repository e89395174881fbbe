-- CreateEnum
CREATE TYPE "consent_purpose" AS ENUM ('discoverable_by_email', 'search_engine_indexing', 'personalized_suggestions', 'presence_sharing', 'product_analytics', 'ai_training_corpus');

-- CreateEnum
CREATE TYPE "export_status" AS ENUM ('queued', 'running', 'ready', 'failed');

-- AlterEnum
ALTER TYPE "notification_kind" ADD VALUE 'export_ready';

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3),
ADD COLUMN     "purge_after" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "consent_events" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "purpose" "consent_purpose" NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "policy_version" INTEGER NOT NULL,
    "source" VARCHAR(50) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_log" (
    "id" UUID NOT NULL,
    "subject_id" UUID NOT NULL,
    "accessor" VARCHAR(20) NOT NULL,
    "action" VARCHAR(100) NOT NULL,
    "purpose" VARCHAR(50) NOT NULL,
    "categories" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "presence" (
    "user_id" UUID NOT NULL,
    "last_active_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "presence_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "daily_counts" (
    "day" DATE NOT NULL,
    "metric" VARCHAR(50) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "daily_counts_pkey" PRIMARY KEY ("day","metric")
);

-- CreateTable
CREATE TABLE "export_jobs" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "status" "export_status" NOT NULL DEFAULT 'queued',
    "progress" SMALLINT NOT NULL DEFAULT 0,
    "storage_key" VARCHAR(100),
    "bytes" BIGINT,
    "error" VARCHAR(300),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "export_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "consent_events_user_id_purpose_created_at_idx" ON "consent_events"("user_id", "purpose", "created_at" DESC);

-- CreateIndex
CREATE INDEX "access_log_subject_id_created_at_idx" ON "access_log"("subject_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "access_log_created_at_idx" ON "access_log"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "export_jobs_storage_key_key" ON "export_jobs"("storage_key");

-- CreateIndex
CREATE INDEX "export_jobs_user_id_created_at_idx" ON "export_jobs"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "export_jobs_status_idx" ON "export_jobs"("status");

-- CreateIndex
CREATE INDEX "posts_reply_to_author_id_idx" ON "posts"("reply_to_author_id");

-- AddForeignKey
ALTER TABLE "posts" ADD CONSTRAINT "posts_reply_to_author_id_fkey" FOREIGN KEY ("reply_to_author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_events" ADD CONSTRAINT "consent_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_log" ADD CONSTRAINT "access_log_subject_id_fkey" FOREIGN KEY ("subject_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "presence" ADD CONSTRAINT "presence_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "export_jobs" ADD CONSTRAINT "export_jobs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The consent ledger is append-only, enforced here rather than by convention: no UPDATE ever,
-- and DELETE only inside an account purge, which sets `hearth.purging_account` to the id of the
-- account being erased (SET LOCAL, so it ends with the purge's transaction).
CREATE FUNCTION "consent_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.user_id::text = current_setting('hearth.purging_account', true) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'consent_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "consent_events_append_only"
  BEFORE UPDATE OR DELETE ON "consent_events"
  FOR EACH ROW EXECUTE FUNCTION "consent_events_append_only"();

CREATE TRIGGER "consent_events_no_truncate"
  BEFORE TRUNCATE ON "consent_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "consent_events_append_only"();

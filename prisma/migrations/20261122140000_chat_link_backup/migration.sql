-- CreateTable
CREATE TABLE "chat_storage_secrets" (
    "user_id" UUID NOT NULL,
    "secret" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_storage_secrets_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "chat_link_requests" (
    "lookup_id" BYTEA NOT NULL,
    "user_id" UUID NOT NULL,
    "request" BYTEA,
    "response" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "chat_link_requests_pkey" PRIMARY KEY ("lookup_id")
);

-- CreateTable
CREATE TABLE "chat_backups" (
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "blob" BYTEA NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_backups_pkey" PRIMARY KEY ("user_id","kind")
);

-- CreateIndex
CREATE INDEX "chat_link_requests_user_id_expires_at_idx" ON "chat_link_requests"("user_id", "expires_at");

-- CreateIndex
CREATE INDEX "chat_link_requests_expires_at_idx" ON "chat_link_requests"("expires_at");

-- AddForeignKey
ALTER TABLE "chat_storage_secrets" ADD CONSTRAINT "chat_storage_secrets_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_link_requests" ADD CONSTRAINT "chat_link_requests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_backups" ADD CONSTRAINT "chat_backups_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma does not model CHECK constraints): the two kinds of backup secret.
ALTER TABLE "chat_backups" ADD CONSTRAINT "chat_backups_kind_check" CHECK ("kind" IN ('recovery_key', 'passphrase'));

-- Email verification, password reset and change of address (issue 17). Existing addresses start
-- unverified. An account may have no address of its own (its sign-up address belonged to another
-- account and waits, never confirmed, in pending_email).
ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL,
ADD COLUMN "email_verified_at" TIMESTAMPTZ(3),
ADD COLUMN "pending_email" VARCHAR(254);

-- CreateEnum
CREATE TYPE "account_token_purpose" AS ENUM ('verify_email', 'reset_password');

-- CreateTable
CREATE TABLE "account_tokens" (
    "id" CHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "purpose" "account_token_purpose" NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "users_pending_email_idx" ON "users"("pending_email");

-- CreateIndex
CREATE INDEX "account_tokens_user_id_idx" ON "account_tokens"("user_id");

-- CreateIndex
CREATE INDEX "account_tokens_expires_at_idx" ON "account_tokens"("expires_at");

-- AddForeignKey
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

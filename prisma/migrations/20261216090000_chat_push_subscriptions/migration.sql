-- Notifications while the chat app is closed (issue 14): a Web Push subscription per device, and
-- the optional purpose under which the browser vendor's push service is used.
-- AlterEnum
ALTER TYPE "consent_purpose" ADD VALUE 'push_notifications';

-- CreateTable
CREATE TABLE "chat_push_subscriptions" (
    "id" UUID NOT NULL,
    "device_row_id" UUID NOT NULL,
    "endpoint" VARCHAR(2048) NOT NULL,
    "p256dh" BYTEA NOT NULL,
    "auth" BYTEA NOT NULL,
    "locale" VARCHAR(8) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_pushed_at" TIMESTAMPTZ(3),
    "stream_seen_at" TIMESTAMPTZ(3),

    CONSTRAINT "chat_push_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "chat_push_subscriptions_device_row_id_key" ON "chat_push_subscriptions"("device_row_id");

-- AddForeignKey
ALTER TABLE "chat_push_subscriptions" ADD CONSTRAINT "chat_push_subscriptions_device_row_id_fkey" FOREIGN KEY ("device_row_id") REFERENCES "chat_devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

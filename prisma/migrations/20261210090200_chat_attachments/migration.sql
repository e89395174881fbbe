-- Encrypted attachments in chats (issue 11): the server keeps each ciphertext blob (in the
-- attachment store, not in the database) with its declared size, how much of it has arrived, and
-- the devices it was sent to, until all of them have fetched it or 30 days have passed. Nothing
-- exists yet, so no rows are converted.

-- CreateTable
CREATE TABLE "chat_attachments" (
    "id" UUID NOT NULL,
    "uploader_id" UUID NOT NULL,
    "size" INTEGER NOT NULL,
    "received" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "chat_attachments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_attachment_recipients" (
    "attachment_id" UUID NOT NULL,
    "device_row_id" UUID NOT NULL,
    "fetched_at" TIMESTAMPTZ(3),

    CONSTRAINT "chat_attachment_recipients_pkey" PRIMARY KEY ("attachment_id","device_row_id")
);

-- CreateIndex
CREATE INDEX "chat_attachments_uploader_id_idx" ON "chat_attachments"("uploader_id");

-- CreateIndex
CREATE INDEX "chat_attachments_expires_at_idx" ON "chat_attachments"("expires_at");

-- CreateIndex
CREATE INDEX "chat_attachment_recipients_device_row_id_idx" ON "chat_attachment_recipients"("device_row_id");

-- AddForeignKey
ALTER TABLE "chat_attachments" ADD CONSTRAINT "chat_attachments_uploader_id_fkey" FOREIGN KEY ("uploader_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_attachment_recipients" ADD CONSTRAINT "chat_attachment_recipients_attachment_id_fkey" FOREIGN KEY ("attachment_id") REFERENCES "chat_attachments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_attachment_recipients" ADD CONSTRAINT "chat_attachment_recipients_device_row_id_fkey" FOREIGN KEY ("device_row_id") REFERENCES "chat_devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma does not model CHECK constraints): a blob has at least one byte and never
-- grows past its declared size (the upper bound is the data layer's MAX_ATTACHMENT_CIPHERTEXT_BYTES).
ALTER TABLE "chat_attachments" ADD CONSTRAINT "chat_attachments_size_check" CHECK ("size" > 0);
ALTER TABLE "chat_attachments" ADD CONSTRAINT "chat_attachments_received_check" CHECK ("received" BETWEEN 0 AND "size");

-- CreateTable
CREATE TABLE "chat_devices" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "device_id" INTEGER NOT NULL,
    "identity_key" BYTEA NOT NULL,
    "link_signature" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "chat_devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_signed_pre_keys" (
    "device_row_id" UUID NOT NULL,
    "key_id" BIGINT NOT NULL,
    "public_key" BYTEA NOT NULL,
    "signature" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_signed_pre_keys_pkey" PRIMARY KEY ("device_row_id","key_id")
);

-- CreateTable
CREATE TABLE "chat_one_time_pre_keys" (
    "device_row_id" UUID NOT NULL,
    "key_id" BIGINT NOT NULL,
    "public_key" BYTEA NOT NULL,

    CONSTRAINT "chat_one_time_pre_keys_pkey" PRIMARY KEY ("device_row_id","key_id")
);

-- CreateTable
CREATE TABLE "chat_kyber_pre_keys" (
    "device_row_id" UUID NOT NULL,
    "key_id" BIGINT NOT NULL,
    "public_key" BYTEA NOT NULL,
    "signature" BYTEA NOT NULL,
    "last_resort" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_kyber_pre_keys_pkey" PRIMARY KEY ("device_row_id","key_id")
);

-- CreateTable
CREATE TABLE "chat_device_lists" (
    "user_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "signed_list" BYTEA NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_device_lists_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "chat_envelopes" (
    "id" UUID NOT NULL,
    "recipient_device_id" UUID NOT NULL,
    "dedup_key" BYTEA NOT NULL,
    "payload" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "chat_envelopes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "chat_devices_user_id_device_id_key" ON "chat_devices"("user_id", "device_id");

-- CreateIndex
CREATE INDEX "chat_kyber_pre_keys_device_row_id_last_resort_idx" ON "chat_kyber_pre_keys"("device_row_id", "last_resort");

-- CreateIndex
CREATE INDEX "chat_envelopes_recipient_device_id_id_idx" ON "chat_envelopes"("recipient_device_id", "id");

-- CreateIndex
CREATE INDEX "chat_envelopes_expires_at_idx" ON "chat_envelopes"("expires_at");

-- CreateIndex
CREATE INDEX "chat_envelopes_created_at_idx" ON "chat_envelopes"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "chat_envelopes_recipient_device_id_dedup_key_key" ON "chat_envelopes"("recipient_device_id", "dedup_key");

-- AddForeignKey
ALTER TABLE "chat_devices" ADD CONSTRAINT "chat_devices_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_signed_pre_keys" ADD CONSTRAINT "chat_signed_pre_keys_device_row_id_fkey" FOREIGN KEY ("device_row_id") REFERENCES "chat_devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_one_time_pre_keys" ADD CONSTRAINT "chat_one_time_pre_keys_device_row_id_fkey" FOREIGN KEY ("device_row_id") REFERENCES "chat_devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_kyber_pre_keys" ADD CONSTRAINT "chat_kyber_pre_keys_device_row_id_fkey" FOREIGN KEY ("device_row_id") REFERENCES "chat_devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_device_lists" ADD CONSTRAINT "chat_device_lists_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chat_envelopes" ADD CONSTRAINT "chat_envelopes_recipient_device_id_fkey" FOREIGN KEY ("recipient_device_id") REFERENCES "chat_devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

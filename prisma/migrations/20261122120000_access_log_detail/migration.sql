-- AlterTable
ALTER TABLE "access_log" ADD COLUMN     "detail" VARCHAR(100);

import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
// Mail goes to the run's local mail catcher (server/testing/global-setup.ts).
process.env.HEARTH_SMTP_URL = inject("smtpUrl");
process.env.HEARTH_MAIL_FROM = "Hearth <no-reply@hearth.test>";
process.env.HEARTH_PUBLIC_ORIGIN = "http://localhost:3000";
// Push wake-ups may go to the run's fake push service (scripts/push/fake-push-service.ts).
process.env.HEARTH_PUSH_SERVICE_ORIGINS = inject("fakePushOrigin");

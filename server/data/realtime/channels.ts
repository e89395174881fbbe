// Postgres NOTIFY channels. The payload of `hearth_envelopes` is the recipient device's row id: a
// wake-up only, never content (anyone who can LISTEN on the database can read it).
export const ENVELOPES_CHANNEL = "hearth_envelopes";

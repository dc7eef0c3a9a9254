-- Mentions taken by a standby process, until the ingesting process has stored them.
CREATE TABLE "inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"mention" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);

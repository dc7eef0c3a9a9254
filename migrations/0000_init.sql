CREATE TABLE "audit_head" (
	"id" smallint PRIMARY KEY NOT NULL,
	"last_id" bigint NOT NULL,
	"last_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "authors" (
	"source" text NOT NULL,
	"author_id" text NOT NULL,
	"handle" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mentions" integer DEFAULT 0 NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	CONSTRAINT "authors_source_author_id_pk" PRIMARY KEY("source","author_id")
);
--> statement-breakpoint
CREATE TABLE "clusters" (
	"id" text PRIMARY KEY NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"level" text NOT NULL,
	"peak_score" smallint NOT NULL,
	"category" text,
	"account" text,
	"head_mention_id" bigint,
	"status" text DEFAULT 'live' NOT NULL,
	"signature" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crises" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"site" text,
	"severity" smallint DEFAULT 2 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"terms" jsonb NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"opened_by" text NOT NULL,
	"closed_at" timestamp with time zone,
	"summary" text,
	"report" jsonb
);
--> statement-breakpoint
CREATE TABLE "crisis_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"crisis_id" integer NOT NULL,
	"kind" text NOT NULL,
	"actor_name" text NOT NULL,
	"text" text NOT NULL,
	"payload" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" integer,
	"crisis_id" integer,
	"action" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"platform" text NOT NULL,
	"payload" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"platform" text NOT NULL,
	"channel" text NOT NULL,
	"ticket_id" integer,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"priority" smallint DEFAULT 0 NOT NULL,
	"payload" jsonb,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "hourly_volume" (
	"hour" timestamp with time zone NOT NULL,
	"account" text NOT NULL,
	"source" text NOT NULL,
	"count" integer NOT NULL,
	"risky" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "hourly_volume_hour_account_source_pk" PRIMARY KEY("hour","account","source")
);
--> statement-breakpoint
CREATE TABLE "mentions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"url" text,
	"text" text NOT NULL,
	"normalized_text" text NOT NULL,
	"lang" text,
	"created_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"account" text,
	"author_id" text NOT NULL,
	"author_handle" text NOT NULL,
	"author" jsonb NOT NULL,
	"reply_to" text,
	"repost_of" text,
	"quote_of" text,
	"score" smallint NOT NULL,
	"level" text NOT NULL,
	"category" text,
	"rules" jsonb NOT NULL,
	"reasons" jsonb NOT NULL,
	"cluster_id" text NOT NULL,
	"raw" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_refs" (
	"key" text PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"channel" text NOT NULL,
	"message_id" text NOT NULL,
	"thread_id" text,
	"ticket_id" integer,
	"crisis_id" integer,
	"rendered_version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_cursors" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" serial PRIMARY KEY NOT NULL,
	"cluster_id" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"level" text NOT NULL,
	"category" text,
	"account" text,
	"team" text,
	"assignee_id" text,
	"assignee_name" text,
	"version" integer DEFAULT 1 NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"first_decision_at" timestamp with time zone,
	"last_decision_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"snooze_until" timestamp with time zone,
	"ignored_at_count" integer,
	"pending_reply" jsonb,
	"crisis_id" integer
);
--> statement-breakpoint
CREATE INDEX "authors_handle" ON "authors" USING btree ("handle");--> statement-breakpoint
CREATE INDEX "clusters_last_seen" ON "clusters" USING btree ("last_seen");--> statement-breakpoint
CREATE INDEX "crisis_events_crisis" ON "crisis_events" USING btree ("crisis_id","at");--> statement-breakpoint
CREATE INDEX "decisions_ticket_id" ON "decisions" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "decisions_at" ON "decisions" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_key" ON "deliveries" USING btree ("key");--> statement-breakpoint
CREATE INDEX "deliveries_state" ON "deliveries" USING btree ("state","platform","channel");--> statement-breakpoint
CREATE UNIQUE INDEX "mentions_source_external_id" ON "mentions" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "mentions_cluster_id" ON "mentions" USING btree ("cluster_id");--> statement-breakpoint
CREATE INDEX "mentions_created_at" ON "mentions" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "message_refs_platform_message" ON "message_refs" USING btree ("platform","channel","message_id");--> statement-breakpoint
CREATE INDEX "message_refs_ticket" ON "message_refs" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_cluster_id" ON "tickets" USING btree ("cluster_id");--> statement-breakpoint
CREATE INDEX "tickets_status_level" ON "tickets" USING btree ("status","level");--> statement-breakpoint
CREATE INDEX "tickets_opened_at" ON "tickets" USING btree ("opened_at");
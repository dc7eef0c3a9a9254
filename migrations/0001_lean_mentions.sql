-- Leaner ingest: mentions no longer repeat their input (raw) or the engine's normalised text, and authors
-- are no longer rewritten on every mention; an author's count and latest snapshot are read from mentions.
CREATE INDEX "mentions_author" ON "mentions" USING btree ("source","author_id","created_at");--> statement-breakpoint
ALTER TABLE "authors" DROP COLUMN "snapshot";--> statement-breakpoint
ALTER TABLE "authors" DROP COLUMN "mentions";--> statement-breakpoint
ALTER TABLE "authors" DROP COLUMN "last_seen";--> statement-breakpoint
ALTER TABLE "mentions" DROP COLUMN "normalized_text";--> statement-breakpoint
ALTER TABLE "mentions" DROP COLUMN "raw";
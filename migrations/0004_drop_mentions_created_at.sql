-- No query reads mentions by time alone (the digest reads hourly volume, trends a cluster's mentions):
-- the index only cost every ingested mention an update.
DROP INDEX "mentions_created_at";

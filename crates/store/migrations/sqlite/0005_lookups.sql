-- Lookups by commitment that scanned whole tables: a commitment's published history
-- (its page reads one row per published period out of every plan's snapshot items)
-- and the followers of changed commitments notified when a period is published.
CREATE INDEX snapshot_items_commitment ON snapshot_items (commitment_id);
CREATE INDEX follows_commitment ON follows (commitment_id);

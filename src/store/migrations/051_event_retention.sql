-- Pruning asks, per outbox event, whether any delivery of it is left.
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (account, event_id);

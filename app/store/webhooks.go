package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// CreateWebhookEndpoint stores a new endpoint, told of the events after
// the last one of the outbox now, and fills e.ID and e.AfterEvent.
func (s *Store) CreateWebhookEndpoint(ctx context.Context, e *model.WebhookEndpoint) error {
	if err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(id), 0) FROM webhook_events").Scan(&e.AfterEvent).Error; err != nil {
		return mapErr(err, "last webhook event")
	}
	return mapErr(s.db.WithContext(ctx).Create(e).Error, "create webhook endpoint")
}

// CountWebhookEndpoints counts an organisation's endpoints.
func (s *Store) CountWebhookEndpoints(ctx context.Context, orgID int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&model.WebhookEndpoint{}).Where("organisation_id = ?", orgID).Count(&n).Error
	return n, mapErr(err, "count webhook endpoints of organisation %d", orgID)
}

// WebhookEndpoints lists the endpoints of an organisation, or of all when
// orgID is 0, oldest first, with their organisation's name and without
// their secrets.
func (s *Store) WebhookEndpoints(ctx context.Context, orgID int64) ([]model.WebhookEndpointRow, error) {
	q := s.db.WithContext(ctx).Table("webhook_endpoints e").
		Select("e.id, e.organisation_id, e.url, e.events, e.countries, e.languages, e.failures, e.disabled_at, e.disabled_reason, e.created_by_key, e.created_at, o.name AS organisation").
		Joins("JOIN organisations o ON o.id = e.organisation_id")
	if orgID != 0 {
		q = q.Where("e.organisation_id = ?", orgID)
	}
	var rows []model.WebhookEndpointRow
	err := q.Order("e.id").Scan(&rows).Error
	return rows, mapErr(err, "webhook endpoints of organisation %d", orgID)
}

// WebhookEndpointsPage lists limit endpoints of every organisation from
// offset, in the order of WebhookEndpoints.
func (s *Store) WebhookEndpointsPage(ctx context.Context, offset, limit int) ([]model.WebhookEndpointRow, error) {
	var rows []model.WebhookEndpointRow
	err := s.db.WithContext(ctx).Table("webhook_endpoints e").
		Select("e.id, e.organisation_id, e.url, e.events, e.countries, e.languages, e.failures, e.disabled_at, e.disabled_reason, e.created_by_key, e.created_at, o.name AS organisation").
		Joins("JOIN organisations o ON o.id = e.organisation_id").
		Order("e.id").Offset(offset).Limit(limit).Scan(&rows).Error
	return rows, mapErr(err, "webhook endpoints from %d", offset)
}

// WebhookEndpoint loads one endpoint, secret included.
func (s *Store) WebhookEndpoint(ctx context.Context, id int64) (model.WebhookEndpoint, error) {
	var e model.WebhookEndpoint
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&e).Error
	return e, mapErr(err, "webhook endpoint %d", id)
}

// DeleteWebhookEndpoint deletes an endpoint of the organisation, with its
// deliveries and log, and reports whether there was one.
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, orgID, id int64) (bool, error) {
	db := s.db.WithContext(ctx)
	// Without relying on the foreign keys' cascade (SQLite enforces them
	// only when asked).
	if err := db.Where("endpoint_id = ? AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE organisation_id = ?)", id, orgID).Delete(&model.WebhookAttempt{}).Error; err != nil {
		return false, mapErr(err, "delete webhook log %d", id)
	}
	if err := db.Where("endpoint_id = ? AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE organisation_id = ?)", id, orgID).Delete(&model.WebhookDelivery{}).Error; err != nil {
		return false, mapErr(err, "delete webhook deliveries %d", id)
	}
	res := db.Where("id = ? AND organisation_id = ?", id, orgID).Delete(&model.WebhookEndpoint{})
	return res.RowsAffected == 1, mapErr(res.Error, "delete webhook endpoint %d", id)
}

// EnableWebhookEndpoint makes a disabled endpoint active again, its
// failures forgotten, and reports whether it was disabled.
func (s *Store) EnableWebhookEndpoint(ctx context.Context, id int64) (bool, error) {
	res := s.db.WithContext(ctx).Model(&model.WebhookEndpoint{}).Where("id = ? AND disabled_at IS NOT NULL", id).
		Updates(map[string]any{"disabled_at": nil, "disabled_reason": "", "failures": 0})
	return res.RowsAffected == 1, mapErr(res.Error, "enable webhook endpoint %d", id)
}

// WebhookAttempts lists an endpoint's delivery log, newest first, from the
// line before beforeID (0: the newest).
func (s *Store) WebhookAttempts(ctx context.Context, endpointID, beforeID int64, limit int) ([]model.WebhookAttempt, error) {
	q := s.db.WithContext(ctx).Where("endpoint_id = ?", endpointID)
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	var rows []model.WebhookAttempt
	err := q.Order("id DESC").Limit(limit).Find(&rows).Error
	return rows, mapErr(err, "webhook log of endpoint %d", endpointID)
}

// WaitingWebhookEvents takes up to limit events of the outbox not yet
// fanned out, oldest first; on PostgreSQL they stay locked until the end
// of the transaction, and events another transaction holds are skipped.
func (s *Store) WaitingWebhookEvents(ctx context.Context, limit int) ([]model.WebhookEvent, error) {
	q := s.db.WithContext(ctx).Where("fanned_out = ?", false).Order("id").Limit(limit)
	if s.db.Dialector.Name() == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	var rows []model.WebhookEvent
	return rows, mapErr(q.Find(&rows).Error, "waiting webhook events")
}

// MarkWebhookEvent records an event as fanned out, with its payload.
func (s *Store) MarkWebhookEvent(ctx context.Context, id int64, payload string) error {
	err := s.db.WithContext(ctx).Model(&model.WebhookEvent{}).Where("id = ?", id).
		Updates(map[string]any{"fanned_out": true, "payload": payload}).Error
	return mapErr(err, "mark webhook event %d", id)
}

// CreateWebhookEvent stores an event already fanned out (a test message).
func (s *Store) CreateWebhookEvent(ctx context.Context, e *model.WebhookEvent) error {
	return mapErr(s.db.WithContext(ctx).Create(e).Error, "create webhook event")
}

// ActiveWebhookEndpoints lists every endpoint not disabled, secrets left out.
func (s *Store) ActiveWebhookEndpoints(ctx context.Context) ([]model.WebhookEndpoint, error) {
	var rows []model.WebhookEndpoint
	err := s.db.WithContext(ctx).Select("id, organisation_id, url, events, countries, languages, after_event").
		Where("disabled_at IS NULL").Order("id").Find(&rows).Error
	return rows, mapErr(err, "active webhook endpoints")
}

// CreateWebhookDeliveries stores deliveries; one already there for the
// same endpoint and event is left as it is.
func (s *Store) CreateWebhookDeliveries(ctx context.Context, ds []model.WebhookDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(ds, 200).Error
	return mapErr(err, "create webhook deliveries")
}

// ClaimedDelivery is a delivery a worker holds the lease of, with what it
// needs to send it.
type ClaimedDelivery struct {
	ID         int64
	EndpointID int64
	MessageID  string
	Attempts   int
	CreatedAt  time.Time
	EventType  string
	Payload    string
	URL        string `gorm:"column:url"`
	Secret     string
}

// ClaimWebhookDeliveries leases up to limit due deliveries of active
// endpoints, none of the endpoints in skip, to owner until until: those
// pending, due at now and not leased, or whose lease ran out. The UPDATE
// repeats the conditions, so that of two instances racing for a row only
// one takes it.
func (s *Store) ClaimWebhookDeliveries(ctx context.Context, owner string, now, until time.Time, limit int, skip []int64) ([]ClaimedDelivery, error) {
	if limit <= 0 {
		return nil, nil
	}
	pick := "SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id " +
		"WHERE d.state = 'pending' AND d.next_at <= ? AND (d.leased_until IS NULL OR d.leased_until < ?) AND e.disabled_at IS NULL"
	args := []any{now, now}
	if len(skip) > 0 {
		pick += " AND d.endpoint_id NOT IN ?"
		args = append(args, skip)
	}
	pick += " ORDER BY d.next_at, d.id LIMIT ?"
	args = append(args, limit)
	if s.db.Dialector.Name() == "postgres" {
		pick += " FOR UPDATE OF d SKIP LOCKED"
	}
	var ids []int64
	err := s.db.WithContext(ctx).Raw("UPDATE webhook_deliveries SET leased_until = ?, lease_owner = ? WHERE id IN ("+pick+
		") AND state = 'pending' AND (leased_until IS NULL OR leased_until < ?) RETURNING id",
		append(append([]any{until, owner}, args...), now)...).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return nil, mapErr(err, "claim webhook deliveries")
	}
	var out []ClaimedDelivery
	err = s.db.WithContext(ctx).Table("webhook_deliveries d").
		Select("d.id, d.endpoint_id, d.message_id, d.attempts, d.created_at, ev.type AS event_type, ev.payload, e.url, e.secret").
		Joins("JOIN webhook_events ev ON ev.id = d.event_id").
		Joins("JOIN webhook_endpoints e ON e.id = d.endpoint_id").
		Where("d.id IN ? AND d.lease_owner = ?", ids, owner).Order("d.next_at, d.id").Scan(&out).Error
	return out, mapErr(err, "claimed webhook deliveries")
}

// DeliveryOutcome is the result of one attempt.
type DeliveryOutcome struct {
	Delivered bool
	// Final: failed for good (no retry).
	Final bool
	// NextAt is the next attempt's time when neither.
	NextAt  time.Time
	Attempt model.WebhookAttempt
	// DisableReason disables the endpoint when not empty.
	DisableReason string
}

// FinishWebhookDelivery records an attempt of a delivery owner holds:
// the delivery's new state and lease, the log line (unless the delivery
// was deleted meanwhile, with its endpoint) and the endpoint's failure
// count (or its disabling). It reports whether owner still held the
// lease; if not, only the log line is written.
func (s *Store) FinishWebhookDelivery(ctx context.Context, owner string, id int64, o DeliveryOutcome, now time.Time) (bool, error) {
	db := s.db.WithContext(ctx)
	set := map[string]any{"attempts": o.Attempt.Attempt, "leased_until": nil, "lease_owner": ""}
	switch {
	case o.Delivered:
		set["state"] = model.DeliveryDelivered
	case o.Final:
		set["state"] = model.DeliveryFailed
	default:
		set["next_at"] = o.NextAt
	}
	res := db.Model(&model.WebhookDelivery{}).Where("id = ? AND lease_owner = ? AND state = 'pending'", id, owner).Updates(set)
	if res.Error != nil {
		return false, mapErr(res.Error, "finish webhook delivery %d", id)
	}
	a := o.Attempt
	err := db.Exec("INSERT INTO webhook_attempts (delivery_id, endpoint_id, message_id, event_type, attempt, status_code, error, duration_ms, created_at) "+
		"SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE id = ?)",
		a.DeliveryID, a.EndpointID, a.MessageID, a.EventType, a.Attempt, a.StatusCode, a.Error, a.DurationMS, a.CreatedAt, id).Error
	if err != nil {
		return false, mapErr(err, "log webhook attempt of delivery %d", id)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	ep := db.Model(&model.WebhookEndpoint{}).Where("id = ?", a.EndpointID)
	switch {
	case o.Delivered:
		err = ep.Where("failures <> 0").Update("failures", 0).Error
	case o.DisableReason != "":
		err = ep.Where("disabled_at IS NULL").Updates(map[string]any{"failures": clause.Expr{SQL: "failures + 1"}, "disabled_at": now, "disabled_reason": o.DisableReason}).Error
	default:
		err = ep.Update("failures", clause.Expr{SQL: "failures + 1"}).Error
	}
	return true, mapErr(err, "count failures of webhook endpoint %d", a.EndpointID)
}

// ReleaseWebhookDeliveries gives up owner's leases on ids without an
// attempt (a worker stopping), so that another takes them at once.
func (s *Store) ReleaseWebhookDeliveries(ctx context.Context, owner string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Model(&model.WebhookDelivery{}).Where("id IN ? AND lease_owner = ? AND state = 'pending'", ids, owner).
		Updates(map[string]any{"leased_until": nil, "lease_owner": ""}).Error
	return mapErr(err, "release webhook deliveries")
}

// SweepWebhookExpiries writes a warning.expired event for each published
// warning whose expiry lies after the last sweep and at or before now,
// and moves the sweep to now; the first sweep only starts the clock. A
// compare-and-set on the sweep's row makes the sweep of two instances at
// once write the events once. It returns how many it wrote.
func (s *Store) SweepWebhookExpiries(ctx context.Context, now time.Time) (int64, error) {
	db := s.db.WithContext(ctx)
	// In UTC, as the expiries are: SQLite compares the stored texts, and
	// the trigger of 00030 compares expiries with this one.
	now = now.UTC()
	var row struct{ ExpiredUntil *time.Time }
	if err := db.Raw("SELECT expired_until FROM webhook_sweep WHERE id = 0").Scan(&row).Error; err != nil {
		return 0, mapErr(err, "webhook sweep")
	}
	var res = db.Exec("UPDATE webhook_sweep SET expired_until = ? WHERE id = 0 AND expired_until IS NULL", now)
	if row.ExpiredUntil != nil {
		if !now.After(*row.ExpiredUntil) {
			return 0, nil
		}
		res = db.Exec("UPDATE webhook_sweep SET expired_until = ? WHERE id = 0 AND expired_until = ?", now, *row.ExpiredUntil)
	}
	if res.Error != nil || res.RowsAffected != 1 || row.ExpiredUntil == nil {
		return 0, mapErr(res.Error, "move webhook sweep")
	}
	ins := db.Exec("INSERT INTO webhook_events (type, subject_id, fanned_out, payload) "+
		"SELECT 'warning.expired', id, ?, '' FROM warnings WHERE status = 'published' AND expires_at > ? AND expires_at <= ?",
		false, *row.ExpiredUntil, now)
	if ins.Error != nil {
		return 0, mapErr(ins.Error, "write webhook expiries up to %s", now.Format(time.RFC3339))
	}
	return ins.RowsAffected, nil
}

// PurgeWebhooks deletes the log lines older than before, the finished
// deliveries older than before whose log is gone, and the fanned-out
// events no delivery needs (but the last thousand).
func (s *Store) PurgeWebhooks(ctx context.Context, before time.Time) error {
	db := s.db.WithContext(ctx)
	for _, q := range []struct {
		what string
		run  func() error
	}{
		{"log", func() error { return db.Where("created_at < ?", before).Delete(&model.WebhookAttempt{}).Error }},
		{"deliveries", func() error {
			return db.Where("created_at < ? AND state <> 'pending' AND NOT EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = webhook_deliveries.id)", before).Delete(&model.WebhookDelivery{}).Error
		}},
		{"events", func() error {
			return db.Where("fanned_out = ? AND id < (SELECT COALESCE(MAX(id), 0) FROM webhook_events) - 1000 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)", true).Delete(&model.WebhookEvent{}).Error
		}},
	} {
		if err := q.run(); err != nil {
			return mapErr(err, "purge webhook %s", q.what)
		}
	}
	return nil
}

package pypitest

import (
	"sync"
	"time"
)

// A Clock is a settable time source. Share one between a [Server] and an
// [Issuer] (pass clock.Now to [WithClock] for both) to test
// expiry without sleeping: tokens are signed, verified and minted at the
// clock's time. It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock that reads t until it is moved.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backward if d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

package imaging

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

// Processor re-encodes uploads with at most a fixed number of decodings at
// a time, so that parallel uploads cannot add up their memory. Checks that
// read only the header run at once, outside the limit. The zero Processor
// is not usable: make one with NewProcessor and share it.
type Processor struct {
	lim   Limits
	slots chan struct{}
	wait  time.Duration
}

// NewProcessor returns a Processor that checks uploads against lim and
// decodes at most concurrent images at a time (at least 1); an upload
// waits up to wait for a slot (10 seconds when wait <= 0) before being
// refused with ErrBusy.
func NewProcessor(lim Limits, concurrent int, wait time.Duration) *Processor {
	if wait <= 0 {
		wait = 10 * time.Second
	}
	return &Processor{lim: lim.withDefaults(), slots: make(chan struct{}, max(concurrent, 1)), wait: wait}
}

// Limits returns the limits uploads are checked against.
func (p *Processor) Limits() Limits { return p.lim }

// Reencode is Reencode with p's limits, decoding only when one of p's
// slots is free. It returns an error wrapping ErrBusy when none came free
// within p's wait or before ctx ended.
func (p *Processor) Reencode(ctx context.Context, data []byte) (Image, error) {
	f, err := check(data, p.lim)
	if err != nil {
		return Image{}, err
	}
	timer := time.NewTimer(p.wait)
	defer timer.Stop()
	select {
	case p.slots <- struct{}{}:
	case <-timer.C:
		return Image{}, fmt.Errorf("imaging: no decoding slot after %v: %w", p.wait, ErrBusy)
	case <-ctx.Done():
		return Image{}, fmt.Errorf("imaging: waiting for a decoding slot: %w: %w", ErrBusy, ctx.Err())
	}
	defer func() { <-p.slots }()
	img, err := reencode(f, data, p.lim)
	if fp, ferr := readFootprint(f, data); ferr == nil && fp.bytes() >= collectAbove {
		// The decoded pixels are garbage now. Collect them before the slot
		// is given to the next upload, so that it reuses their memory:
		// otherwise the heap grows to twice the decodes in flight before
		// the collector runs.
		runtime.GC()
	}
	return img, err
}

// collectAbove is the decoded size past which a Processor runs the garbage
// collector after re-encoding.
const collectAbove = 8 << 20
